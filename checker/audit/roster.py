"""Who did not publish: `xxgk audit … --roster agencies.csv` names the agencies that must publish
(columns agency, kind, and optionally parent, deadline and aggregates). Reports are matched to
roster names the way one agency is matched across years (checker/audit/agencies.py), and every
roster agency without a report for a year the batch covers gets a line of its own in the audit,
with the finding of the rule of check type roster-missing — the first thing an assessment checks.

A row that says `aggregates` (是) declares that the agency's report sums up those of the roster
agencies under it (parent): its key totals are then compared with their sum (check type
roster-aggregate). Aggregation is not universal, so it is never assumed."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from checker.audit.agencies import agency_key
from checker.audit.summary import DocSummary
from checker.engine.checks import fmt_number
from checker.engine.registry import runs
from checker.engine.checks.consistency import cell_anchor
from checker.facts.key_figures import key_figure, section_of
from checker.engine.finding import Hit
from checker.engine.rules import rule_for
from checker.engine.runner import to_finding

KINDS = {
    "government": "government",
    "department": "department",
    "township": "township",
    "subdistrict": "subdistrict",
    "zone": "zone",
    "organisation": "organisation",
    "人民政府": "government",
    "政府": "government",
    "政府部门": "department",
    "部门": "department",
    "乡镇": "township",
    "乡镇人民政府": "township",
    "街道": "subdistrict",
    "街道办事处": "subdistrict",
    "乡镇、街道": "township",
    "管委会": "zone",
    "开发区": "zone",
    "管理委员会": "zone",
    "公共企事业单位": "organisation",
    "企事业单位": "organisation",
}
MAX_ROWS = 100_000


class RosterError(Exception):
    pass


@dataclass(frozen=True)
class Member:
    agency: str
    kind: str
    parent: str | None = None
    deadline: str | None = None
    aggregates: bool = False  # its report sums up its children's (declared in the roster)
    since: int | None = None  # the first report year it owes (an agency created by a 机构改革)
    until: int | None = None  # the last (an agency merged into another or abolished)
    aliases: tuple[str, ...] = ()  # other names its reports go by (the roster's aliases column)

    def expected(self, year: int) -> bool:
        return (self.since is None or year >= self.since) and (self.until is None or year <= self.until)


_YES = {"是", "yes", "y", "true", "1", "汇总"}
_NO = {"", "否", "no", "n", "false", "0"}


def load(path: Path) -> list[Member]:
    """The roster's agencies; a clear message for a file that is not one."""
    from checker.user_files import UserFileError, read_text

    try:
        text = read_text(path, "名册", legacy=True)
    except UserFileError as error:
        raise RosterError(str(error)) from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        raise RosterError(
            f"名册 {path} 是空的（第一行应为表头：agency,kind[,parent,deadline,aggregates,since,until,aliases]）"
        )
    header = {h.strip().lower() for h in rows[0] if h}
    if not {"agency", "kind"} <= header:
        raise RosterError(
            f"名册 {path} 的表头应含 agency 和 kind 两列（可选 parent、deadline、aggregates、since、until、aliases），实际为：{'、'.join(sorted(header))}"
        )
    members = []
    for number, row in enumerate(rows[:MAX_ROWS], 2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("agency"):
            continue
        kind = KINDS.get(row.get("kind", ""), None)
        if kind is None:
            raise RosterError(
                f"名册 {path} 第 {number} 行：类别「{row.get('kind', '')}」应为 {'、'.join(sorted(set(KINDS.values())))} 之一（或 人民政府、部门、乡镇、街道、管委会）"
            )
        declared = row.get("aggregates", "").lower()
        if declared not in _YES | _NO:
            raise RosterError(
                f"名册 {path} 第 {number} 行：aggregates 列「{row.get('aggregates')}」应为 是 或 否（或留空）"
            )
        since, until = (_year_of(row.get(column, ""), path, number, column) for column in ("since", "until"))
        members.append(
            Member(
                row["agency"],
                kind,
                row.get("parent") or None,
                row.get("deadline") or None,
                declared in _YES,
                since,
                until,
                tuple(a for a in _ALIASES.split(row.get("aliases", "")) if a.strip()),
            )
        )
    return members


_ALIASES = re.compile(r"\s*[;；、|]\s*")


def _year_of(text: str, path, number: int, column: str) -> int | None:
    """A roster's since/until year: empty, or a year the regulation was in force."""
    from checker.years import year_ok

    text = text.strip().removesuffix("年")
    if not text:
        return None
    if not year_ok(text):
        raise RosterError(f"名册 {path} 第 {number} 行：{column} 列「{text}」应为年份（如 2023），或留空")
    return int(text)


def parents(members: list[Member]) -> dict[str, str]:
    """Agency key → the parent the roster names for it (its government), for the dashboard's
    grouping; a parent's own row is keyed under its name."""
    return {agency_key(m.agency): m.parent for m in members if m.parent}


@runs("roster-missing")
def missing_run(batch, rule) -> None:
    """A line for each roster agency without a report in a year the batch covers."""
    if batch.roster:
        batch.absent += missing(batch.roster, batch.docs[: batch.current], [rule], batch.year)


@runs("roster-aggregate")
def aggregates_run(batch, rule) -> None:
    """A government's totals against its departments' sum, where the roster declares it."""
    if batch.roster:
        aggregates(batch.roster, batch.docs[: batch.current], [rule])


def missing(members: list[Member], docs: list[DocSummary], rules, year: int | None = None) -> list[DocSummary]:
    """A line for each roster agency without a report for the audited year (without one: for
    each year the batch covers), in the years the roster says it existed."""
    rule = rule_for(rules, "roster-missing")
    years = [year] if year is not None else sorted({d.year for d in docs if d.year})
    published = {(d.agency_key, d.year) for d in docs if d.agency_key and d.year}
    out = []
    for member in members:
        key = agency_key(member.agency)
        for year in years:
            if (key, year) in published or not member.expected(year):
                continue
            summary = DocSummary(
                f"（未发布）{member.agency} {year}年度",
                member.agency,
                key,
                member.kind,
                year,
                readable=False,
                absent=True,
            )
            if rule is not None and member.kind in rule.agency_kinds:
                finding = to_finding(
                    rule,
                    Hit(
                        {"agency": member.agency, "year": year},
                        loc=None,
                        section=None,
                        anchor="document",
                        key=f"{key}/{year}",
                    ),
                    kind=member.kind,
                )
                summary.add([finding])
            out.append(summary)
    return out


def aggregates(members: list[Member], docs: list[DocSummary], rules) -> None:
    """Add, to the report of each agency the roster says aggregates its children, a finding for
    each total that differs from the sum of the children's reports of that year. A year in
    which a child has no readable report, or lacks the figure, is not compared: a partial sum
    says nothing."""
    rule = rule_for(rules, "roster-aggregate")
    if rule is None:
        return
    children: dict[str, list[Member]] = {}
    for member in members:
        if member.parent and agency_key(member.parent) != agency_key(member.agency):  # never its own child
            children.setdefault(agency_key(member.parent), []).append(member)
    reports = {(d.agency_key, d.year): d for d in docs if d.readable and d.agency_key and d.year}
    years = sorted({year for _, year in reports})
    for member in members:
        key = agency_key(member.agency)
        under = children.get(key, [])
        if not member.aggregates or not under:
            continue
        for year in years:
            doc = reports.get((key, year))
            if doc is None or not rule.applies(doc.regime, doc.kind):
                continue
            theirs = [reports.get((agency_key(child.agency), year)) for child in under]
            if any(t is None for t in theirs):
                continue
            found = []
            for name in rule.params["figures"]:
                figure = key_figure(name)
                own, parts = figure.of(doc.cells), [figure.of(t.cells) for t in theirs]
                if own is None or any(p is None for p in parts) or own == sum(parts):
                    continue
                found.append(
                    to_finding(
                        rule,
                        Hit(
                            {
                                "figure": figure.total,
                                "this": fmt_number(own),
                                "sum": fmt_number(sum(parts)),
                                "count": len(parts),
                                "difference": ("多" if own > sum(parts) else "少") + fmt_number(abs(own - sum(parts))),
                                "agencies": "、".join(c.agency for c in under[:3]) + ("等" if len(under) > 3 else ""),
                            },
                            loc=doc.locs.get(figure.cell),
                            section=section_of(doc.regime, figure.cell),
                            anchor=cell_anchor(figure.cell),
                            key=f"{key}/{year}/aggregate/{name}",
                        ),
                    )
                )
            doc.add(found)
