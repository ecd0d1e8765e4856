"""Who did not publish: `xxgk audit … --roster agencies.csv` names the agencies that must publish
(columns agency, kind, and optionally parent and deadline). Reports are matched to roster names
the way one agency is matched across years (checker/audit/agencies.py), and every roster agency
without a report for a year the batch covers gets a line of its own in the audit, with the
finding of the rule of check type roster-missing — the first thing an assessment checks."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from checker.audit.agencies import agency_key
from checker.audit.summary import DocSummary, Excerpt
from checker.engine.finding import Hit
from checker.engine.rules import rule_for
from checker.engine.runner import to_finding

KINDS = {"government": "government", "department": "department", "township": "township",
         "人民政府": "government", "政府": "government", "政府部门": "department", "部门": "department",
         "乡镇": "township", "街道": "township", "乡镇、街道": "township"}
MAX_ROWS = 100_000


class RosterError(Exception):
    pass


@dataclass(frozen=True)
class Member:
    agency: str
    kind: str
    parent: str | None = None
    deadline: str | None = None


def load(path: Path) -> list[Member]:
    """The roster's agencies; a clear message for a file that is not one."""
    from checker.user_files import UserFileError, read_text

    try:
        text = read_text(path, "名册")
    except UserFileError as error:
        raise RosterError(str(error)) from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        raise RosterError(f"名册 {path} 是空的（第一行应为表头：agency,kind[,parent,deadline]）")
    header = {h.strip().lower() for h in rows[0] if h}
    if not {"agency", "kind"} <= header:
        raise RosterError(f"名册 {path} 的表头应含 agency 和 kind 两列（可选 parent、deadline），实际为：{'、'.join(sorted(header))}")
    members = []
    for number, row in enumerate(rows[:MAX_ROWS], 2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("agency"):
            continue
        kind = KINDS.get(row.get("kind", ""), None)
        if kind is None:
            raise RosterError(f"名册 {path} 第 {number} 行：类别「{row.get('kind', '')}」应为 government、department 或 township")
        members.append(Member(row["agency"], kind, row.get("parent") or None, row.get("deadline") or None))
    return members


def parents(members: list[Member]) -> dict[str, str]:
    """Agency key → the parent the roster names for it (its government), for the dashboard's
    grouping; a parent's own row is keyed under its name."""
    return {agency_key(m.agency): m.parent for m in members if m.parent}


def missing(members: list[Member], docs: list[DocSummary], rules) -> list[DocSummary]:
    """A line for each roster agency without a report in a year the batch covers."""
    rule = rule_for(rules, "roster-missing")
    years = sorted({d.year for d in docs if d.year})
    published = {(d.agency_key, d.year) for d in docs if d.agency_key and d.year}
    out = []
    for member in members:
        key = agency_key(member.agency)
        for year in years:
            if (key, year) in published:
                continue
            summary = DocSummary(f"（未发布）{member.agency} {year}年度", member.agency, key, member.kind, year,
                                 readable=False, absent=True)
            if rule is not None and member.kind in rule.agency_kinds:
                finding = to_finding(rule, Hit({"agency": member.agency, "year": year}, None, None, "document",
                                               f"{key}/{year}"))
                summary.findings.append(finding)
                summary.excerpts.append(Excerpt())
            out.append(summary)
    return out
