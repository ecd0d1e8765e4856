"""雷同 at 1,000 … 100,000 generated reports: the cross stage's cost per report, which must stay
flat as the batch grows, and the share of planted copies it finds.

The sections are written from a shared stock of phrases drawn with a Zipf law, as real reports
share their boilerplate (进一步加强…, 认真贯彻落实…) and differ in the rest; a few percent of the
reports copy a section of another agency's report with a sentence or two changed, and one text is
handed to a group of agencies. (tests/batch.py's templates are too few for this: at 30,000
reports every section is alike every other, which no real batch is.)

    python benchmarks/similar_scale.py 1000 10000 100000
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from checker.audit import cross  # noqa: E402
from checker.audit.similar import signature  # noqa: E402
from checker.audit.summary import DocSummary  # noqa: E402
from checker.engine.rules import builtin_rules  # noqa: E402

HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经之进着等部度家电力里如水化高自理起小物现实加量都两体制机当使点从业本去把性"
    "好应开它合还因由其些然前外天政日那社义事平形相全表间样与关各重新线内数正心反明看原又利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展果料象员革位入常文总次品式活设及管"
    "特件长求老头基资边流路级少图山统接知较将组见计别手角期根论运农指几区强放决西被干做必战先回则任取据处"
)
PHRASES = 4000


def _stock(rng: random.Random) -> tuple[list[str], list[float]]:
    phrases = ["".join(rng.choice(HAN) for _ in range(rng.randint(4, 9))) for _ in range(PHRASES)]
    weights = [1 / (rank + 1) for rank in range(PHRASES)]  # Zipf: a few phrases in every report
    return phrases, weights


def _section(rng: random.Random, stock, sentences: int) -> str:
    phrases, weights = stock
    out = []
    for _ in range(sentences):
        words = rng.choices(phrases, weights, k=rng.randint(2, 4))
        out.append("，".join(words) + f"{rng.randint(1, 300)}件。")
    return "".join(out)


def batch(size: int, seed: int = 11, copy_share: float = 0.03, group_share: float = 0.005):
    """`size` one-year summaries with sections 一 and 五; returns (docs, planted) where planted is
    the set of (copy index, source index, ordinal) pairs."""
    rng = random.Random(seed)
    stock = _stock(rng)
    docs, planted = [], set()
    shared = _section(rng, stock, 14)  # the text handed to a group of agencies
    for i in range(size):
        agency = f"第{i}号机关"
        sections = {"一": _section(rng, stock, rng.randint(10, 18)), "五": _section(rng, stock, rng.randint(8, 14))}
        roll = rng.random()
        if roll < group_share:
            sections["五"] = shared
            planted.add((i, None, "五"))
        elif roll < group_share + copy_share and i > 10:
            source = rng.randrange(i)
            ordinal = rng.choice(("一", "五"))
            sentences = docs[source].sections[ordinal].split("。")
            for _ in range(2):  # a sentence or two of its own
                sentences[rng.randrange(len(sentences))] = _section(rng, stock, 1).rstrip("。")
            sections[ordinal] = "。".join(sentences)
            planted.add((i, source, ordinal))
        docs.append(DocSummary(f"doc{i}.md", agency, agency, "department", 2025, "format-2021", sections=sections))
    return docs, planted


def measure(size: int) -> dict:
    n506 = next(r for r in builtin_rules() if r.code == "N506")
    docs, planted = batch(size)
    start = time.process_time()
    for doc in docs:  # in an audit this runs in the worker processes
        doc.signatures = {o: s for o, t in doc.sections.items() if (s := signature(t)) is not None}
    signed = time.process_time() - start
    start = time.process_time()
    found = cross.copied(docs, len(docs), n506)
    compared = time.process_time() - start
    flagged = {(i, f.section) for i, findings in found.items() for f in findings}
    caught = sum(1 for i, _, ordinal in planted if (i, ordinal) in flagged)
    return {
        "reports": size,
        "signatures_cpu_s": round(signed, 2),
        "cross_cpu_s": round(compared, 2),
        "cross_ms_per_report": round(compared / size * 1000, 3),
        "planted": len(planted),
        "found": caught,
        "flagged_sections": len(flagged),
    }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000, 100000]
    results = []
    for size in sizes:
        result = measure(size)
        results.append(result)
        print(json.dumps(result), flush=True)
    base = results[0]["cross_ms_per_report"]
    for r in results[1:]:
        print(f"{r['reports']}: {r['cross_ms_per_report'] / base:.2f}x the cost per report at {results[0]['reports']}")


if __name__ == "__main__":
    main()
