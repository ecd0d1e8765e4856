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
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

sys.path.insert(0, str(HERE.parent / "tests"))

from batch import similar_batch  # noqa: E402  (tests/batch.py)
from checker.audit import cross  # noqa: E402
from checker.audit.similar import signature  # noqa: E402
from checker.engine.rules import builtin_rules  # noqa: E402


def measure(size: int) -> dict:
    n506 = next(r for r in builtin_rules() if r.code == "N506")
    docs, planted = similar_batch(size)
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
