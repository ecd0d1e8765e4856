"""The cross-report rules (rules/cross.yaml) on the summaries of a batch and its history:
carry-over, stock-flow and year-over-year jumps between one agency's consecutive years, 雷同
between reports' sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from checker.audit import roster as _roster  # noqa: F401 - registers the roster's batch checks
from checker.audit import similar
from checker.audit.summary import DocSummary
from checker.engine.wording import words
from checker.facts.key_figures import carried, key_figure, section_of, stocks
from checker.engine.checks import fmt_number
from checker.engine.registry import by_scope, runs
from checker.engine.checks.consistency import cell_anchor
from checker.engine.finding import Hit
from checker.engine.runner import to_finding
from checker.facts.layouts import layout


def _by_agency_year(docs: list[DocSummary]) -> dict[tuple[str, int], DocSummary]:
    index: dict[tuple[str, int], DocSummary] = {}
    for doc in docs:
        if doc.agency_key and doc.year:
            index.setdefault((doc.agency_key, doc.year), doc)
    return index


def _number(value) -> bool:
    return isinstance(value, (int, float))


def carry_over(doc: DocSummary, last: DocSummary, rule):
    for pair in carried(layout(doc.regime) if doc.regime else None):
        this, before = doc.cells.get(pair.this), last.cells.get(pair.last)
        if _number(this) and _number(before) and this != before:
            yield to_finding(
                rule,
                Hit(
                    {
                        "column": pair.short,
                        "this": fmt_number(this),
                        "last": fmt_number(before),
                        "agency": last.agency or words("carry-over").say("same_agency"),
                        "last_year": last.year,
                        "other": last.path,
                    },
                    loc=doc.locs.get(pair.this),
                    section=pair.section,
                    anchor=cell_anchor(pair.this),
                    key=f"{last.agency_key}/{last.year}/{pair.column}",
                ),
            )


def stock_flow(doc: DocSummary, last: DocSummary, rule):
    for stock in stocks(layout(doc.regime) if doc.regime else None):
        now, before = doc.cells.get(stock.in_force), last.cells.get(stock.in_force)
        issued, repealed = doc.cells.get(stock.issued), doc.cells.get(stock.repealed)
        if not all(_number(v) for v in (now, before, issued, repealed)):
            continue
        expected = before + issued - repealed
        if now != expected:
            yield to_finding(
                rule,
                Hit(
                    {
                        "row": stock.label,
                        "this": fmt_number(now),
                        "last": fmt_number(before),
                        "issued": fmt_number(issued),
                        "repealed": fmt_number(repealed),
                        "expected": fmt_number(expected),
                        "other": last.path,
                    },
                    loc=doc.locs.get(stock.in_force),
                    section=stock.section,
                    anchor=cell_anchor(stock.in_force),
                    key=f"{last.agency_key}/{last.year}/{stock.row}",
                ),
            )


GRAMS_KEPT = 512  # sections' shingle sets held at once (about 40 KB each)


def copied(docs: list[DocSummary], current: int, rule) -> dict[int, list]:
    """N506 for the first `current` documents (the rest are history); index → findings.

    Against last year's own report: one comparison each. Among one year's reports of different
    agencies, near-copies are grouped into clusters — each section is compared with the first
    member of the clusters LSH proposes, and joins the closest — so a text handed to two hundred
    departments is two hundred comparisons, not twenty thousand, and each report gets one
    finding naming how many share the text and the closest earlier one."""
    params = rule.params
    threshold = float(params["threshold"])
    sections = params["sections"]
    out: dict[int, list] = {}

    @lru_cache(maxsize=GRAMS_KEPT)
    def grams(index: int, ordinal: str) -> set:
        """A section's shingles, kept while it is compared: the firsts of the clusters and last
        year's report are asked for again and again; every section's set kept for the whole
        audit was 350 MB at 10,000 reports."""
        return similar.shingles(docs[index].sections[ordinal])

    def report(mine: int, theirs: int, ordinal: str, score: float, relation: str) -> None:
        doc, other = docs[mine], docs[theirs]
        finding = to_finding(
            rule,
            Hit(
                {
                    "ordinal": ordinal,
                    "other_agency": other.agency or other.path,
                    "other_year": other.year or "",
                    "similarity": round(score * 100),
                    "relation": relation,
                },
                loc=doc.locs.get(ordinal),
                section=ordinal,
                anchor=f"section/{ordinal}",
                key=f"{other.agency_key or other.path}/{other.year}/{ordinal}",
            ),
        )
        out.setdefault(mine, []).append(finding)
        doc.similar.append(
            {
                "fingerprint": finding.fingerprint,
                "ordinal": ordinal,
                "other": other.path,
                "other_agency": other.agency,
                "other_year": other.year,
                "similarity": round(score * 100),
                "passages": similar.shared_passages(doc.sections[ordinal], other.sections[ordinal]),
            }
        )

    by_year = _by_agency_year(docs)
    position = {id(doc): index for index, doc in enumerate(docs)}
    for index, doc in enumerate(docs[:current]):  # the agency's own report of the year before
        before = by_year.get((doc.agency_key, doc.year - 1)) if doc.agency_key and doc.year else None
        last = position[id(before)] if before is not None else None
        for ordinal in sections if last is not None else ():
            if ordinal in doc.signatures and ordinal in docs[last].signatures:
                score = similar.jaccard_sets(grams(index, ordinal), grams(last, ordinal))
                if score >= threshold:
                    report(index, last, ordinal, score, "与上年报告相同")
    for ordinal in sections:
        years: dict[int | None, list[int]] = {}
        for index, doc in enumerate(docs):
            if ordinal in doc.signatures:
                years.setdefault(doc.year, []).append(index)
        for members in years.values():
            for cluster, scores in _clusters(docs, members, ordinal, grams, threshold):
                relation = (
                    "与同年度其他机关的报告相同" if len(cluster) == 2 else f"同年度共 {len(cluster)} 份报告此部分雷同"
                )
                for position, index in enumerate(cluster):
                    if index < current:
                        other = cluster[1] if position == 0 else cluster[0]
                        report(index, other, ordinal, scores[cluster[1] if position == 0 else index], relation)
    return out


def _clusters(docs: list[DocSummary], members: list[int], ordinal: str, grams, threshold: float):
    """One year's near-copies of section `ordinal` among different agencies' reports."""
    return similar.clusters(
        members,
        lambda i: docs[i].signatures[ordinal],
        lambda i, j: similar.jaccard_sets(grams(i, ordinal), grams(j, ordinal)),
        lambda i, j: docs[i].agency_key is not None and docs[i].agency_key == docs[j].agency_key,
        threshold,
    )


def year_jump(doc: DocSummary, last: DocSummary, rule):
    params = rule.params
    ratio, least = float(params["ratio"]), float(params["min"])
    for name in params["figures"]:
        this, before = doc.figure(name), last.figure(name)
        if not (_number(this) and _number(before)) or max(this, before) < least:
            continue
        times = this / before if before else float("inf")
        if times > ratio or times < 1 / ratio:
            shown = f"{times:.1f} 倍" if times >= 1 else f"{times:.0%}"
            yield to_finding(
                rule,
                Hit(
                    {
                        "figure": key_figure(name).label,
                        "this": fmt_number(this),
                        "last": fmt_number(before),
                        "times": shown,
                        "agency": last.agency or words("carry-over").say("same_agency"),
                        "last_year": last.year,
                        "other": last.path,
                    },
                    loc=doc.locs.get(key_figure(name).cell),
                    section=section_of(doc.regime, key_figure(name).cell),
                    anchor=cell_anchor(key_figure(name).cell),
                    key=f"{last.agency_key}/{last.year}/{name}",
                ),
            )


def _pairwise(check):
    """A check of one report against the same agency's report of the year before, as a batch run."""

    def run(batch: Batch, rule) -> None:
        index = batch.by_agency_year
        for doc in batch.docs[: batch.current]:
            if not doc.readable or not doc.agency_key or not doc.year:
                continue
            last = index.get((doc.agency_key, doc.year - 1))
            if last is not None and rule.applies(doc.regime, doc.kind) and rule.applies(last.regime, last.kind):
                doc.add(list(check(doc, last, rule)))

    run.__doc__ = check.__doc__
    return run


runs("carry-over")(_pairwise(carry_over))
runs("stock-flow")(_pairwise(stock_flow))
runs("year-jump")(_pairwise(year_jump))


@runs("similar-text")
def similar_text(batch: Batch, rule) -> None:
    for i, findings in copied(batch.docs, batch.current, rule).items():
        batch.docs[i].add([f for f in findings if rule.applies(batch.docs[i].regime, batch.docs[i].kind)])


@dataclass
class Batch:
    """What a batch check runs on: the audited reports, then the history (`current` of them
    audited), the roster when one is given, and the lines the roster checks add for agencies
    with no report."""

    docs: list[DocSummary]
    current: int
    roster: list | None = None
    absent: list[DocSummary] = field(default_factory=list)
    year: int | None = None  # the report year audited (None: every year the batch covers)

    @cached_property
    def by_agency_year(self) -> dict[tuple[str, int], DocSummary]:
        """One index for every pairwise check (the batch first, so it wins over history for a year)."""
        return _by_agency_year(self.docs)


def run(batch: Batch, rules) -> None:
    """Every batch check of the registry, for each rule that uses it (the roster's need one)."""
    for check in by_scope("batch"):
        if check.run is None:
            raise AssertionError(f"batch check {check.name} has no run attached")
        for rule in (r for r in rules if r.check == check.name):
            check.run(batch, rule)
