"""The audit's outputs in OUTDIR: index.html (dashboard and the table of reports), one page
per report, findings.json (the JSON contract, extended with each report's facts so that a later
audit can use it as --history), summary.csv and summary.xlsx."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import json
from collections import Counter
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape

from checker import __version__
from checker.audit.names import FAMILY_NAMES, REGIME_NAMES, SEVERITY_NAMES
from checker.audit.summary import Audited, DocSummary
from checker.audit import notice, spreadsheet  # openpyxl is imported there only when a spreadsheet is written
from checker.audit.spreadsheet import main_causes, safe_cell
from checker.facts.report_meta import KIND_NAMES
from checker.formats.jsonfmt import SCHEMA, finding_dict
from checker.formats.text import where

COLUMNS = [
    "path",
    "agency",
    "agency_kind",
    "year",
    "regime",
    "published",
    "due",
    "on_time",
    "days_late",
    "error",
    "warning",
    "info",
    *FAMILY_NAMES,
    "new",
    "carried_over",
    "completed",
    "carried_forward",
    "review",
    "litigation",
    "score",
    "page",
]


@cache  # one environment: its templates are compiled once, not once per report page
def _env() -> Environment:
    folder = Path(__file__).resolve().parent.parent / "templates" / "audit"
    return Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(["j2", "html"]),
        trim_blocks=False,
        lstrip_blocks=False,
    )


def _script() -> tuple[str, str]:
    script = (Path(__file__).resolve().parent / "script.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return script, f"'sha256-{digest}'"


UNPUBLISHED = "reports/unpublished.html"  # one list of the roster's agencies without a report


def _page_name(index: int, doc: DocSummary | None = None) -> str:
    if doc is not None and doc.absent:
        return f"{UNPUBLISHED}#a{index + 1}"
    return f"reports/{index + 1:04d}.html"


_SECTIONS = "一二三四五六"


def tables_view(doc: DocSummary) -> list[dict]:
    """The report's tables in the official layout, as the page draws them: each cell's figure,
    and its state — the cell a finding points at (outlined, its findings on hover), a blank or
    "/" cell, a row the report does not give."""
    from checker.engine.checks import fmt_number
    from checker.facts.layouts import layout

    spec_of = layout(doc.regime) if doc.regime else None
    if spec_of is None or not doc.cells:
        return []
    faults: dict[str, list[str]] = {}
    for finding in doc.findings:
        if finding.suppressed is None and finding.anchor and finding.anchor.count("/") == 2:
            for key in _culprits(finding):
                faults.setdefault(key, []).append(f"{finding.code} {finding.message}")
                faults[key] += [f"{r.code} {r.message}" for r in finding.related]
    out = []
    for name, spec in spec_of.tables.items():
        rows, block = [], None
        for row in spec.rows:
            header = None
            if spec.blocks and row.block != block:
                block = row.block
                header = [spec.blocks[block], *(c.short for c in row.columns)]
            cells = []
            for column in row.columns:
                key = f"{name}.{row.key}.{column.key}"
                value = doc.cells.get(key)
                state = (
                    "fault" if key in faults else "absent" if key not in doc.cells else "blank" if value is None else ""
                )
                shown = fmt_number(value) if value is not None else ("空或“/”" if key in doc.cells else "—")
                cells.append(
                    {"value": shown, "state": state, "title": "；".join(faults.get(key, [])), "id": cell_id(key)}
                )
            rows.append({"label": row.label, "header": header, "cells": cells})
        columns = None if spec.blocks else ["", *(c.short for c in spec.columns)]
        out.append({"title": f"{spec.section}、{spec.title}", "columns": columns, "rows": rows})
    return out


def cell_id(key: str) -> str:
    """The id of a cell on the page, which a finding links to."""
    return "cell-" + key.replace(".", "-").replace("*", "all")


def _culprits(finding) -> list[str]:
    """The cells to outline for a finding on a cell: the one cell every relation it and the
    findings it subsumed break has in common (one wrong figure breaks its row and its column by
    the same amount: that figure, not the totals), else the cell it points at."""
    shared = None
    if finding.related and finding.suspects:
        shared = {key for key, _ in finding.suspects}
        for other in finding.related:
            shared &= {key for key, _ in other.suspects}
    return sorted(shared) if shared else [finding.anchor.replace("/", ".")]


def report_page(doc: DocSummary, standalone: bool = False) -> str:
    """One report's page: its findings grouped by section in document order, each with its place,
    basis and the offending text or cell marked. The audit writes it per report; `xxgk serve`
    shows it for an uploaded file (standalone: no link back to an audit's index)."""
    similar = {s["fingerprint"]: s for s in doc.similar}
    items = [
        {
            "f": f,
            "x": x,
            "where": where(doc.path, f.loc),
            "similar": [similar[f.fingerprint]] if f.fingerprint in similar else [],
            "related": [{"f": r, "where": where(doc.path, r.loc)} for r in f.related],
            # a finding on a cell links to it in the tables drawn below
            "cell": cell_id(_culprits(f)[0]) if f.anchor and f.anchor.count("/") == 2 else None,
        }
        for f, x in zip(doc.findings, doc.excerpts)
    ]
    active = Counter(f.severity for f in doc.findings if f.suppressed is None)
    verdict = (
        (
            "error",
            f"发布前须改正 {active['error']} 项错误"
            + (f"，另有 {active['warning']} 项警告请核实" if active["warning"] else ""),
        )
        if active["error"]
        else ("warning", f"未发现错误；有 {active['warning']} 项警告请核实")
        if active["warning"]
        else ("ok", "未发现错误和警告" + (f"（另有 {active['info']} 项提示）" if active["info"] else ""))
    )
    groups: dict[str, list] = {}
    for item in items:
        section = item["f"].section
        groups.setdefault(f"第{section}部分" if section and section in _SECTIONS else "全文", []).append(item)
    groups = {name: causes(members) for name, members in groups.items()}
    order = ["全文", *(f"第{s}部分" for s in _SECTIONS)]
    grouped = [(name, groups[name]) for name in order if name in groups]
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            doc=doc,
            items=items,
            groups=grouped,
            verdict=verdict,
            regime_names=REGIME_NAMES,
            standalone=standalone,
            script=None,
            script_hash="'none'",
            tables=tables_view(doc),
            severity_names=SEVERITY_NAMES,
            kind_names=KIND_NAMES,
            version=__version__,
        )
    )


def causes(items: list[dict]) -> list[dict]:
    """A section's findings, one entry per cause: a rule found several times in the section (the
    same defect in several places) is one entry, its places listed under the first; findings a
    root finding subsumed (one cause, several rules) are listed under it as `related`. Entries
    stay in the order of their first place."""
    entries: dict[tuple, dict] = {}
    for item in items:
        f = item["f"]
        key = (f.code, f.severity, f.suppressed is not None)
        if key in entries:
            entries[key]["more"].append(item)
        else:
            entries[key] = {**item, "more": []}
    return list(entries.values())


def row_of(doc: DocSummary, index: int) -> dict:
    active = [f for f in doc.findings if f.suppressed is None]
    severity = Counter(f.severity for f in active)
    family = Counter(f.code[0] for f in active)
    litigation = [doc.figure("litigation_direct"), doc.figure("litigation_after_review")]
    row = {
        "path": doc.path,
        "agency": doc.agency or "",
        "agency_kind": doc.kind,
        "year": doc.year or "",
        "regime": doc.regime or "",
        "published": doc.published or "",
        "due": doc.due or "",
        "on_time": "" if doc.on_time is None else ("是" if doc.on_time else "否"),
        "days_late": "" if doc.days_late is None else doc.days_late,
        **{s: severity[s] for s in SEVERITY_NAMES},
        **{k: family[k] for k in FAMILY_NAMES},
        **{
            name: "" if doc.figure(name) is None else doc.figure(name)
            for name in ("new", "carried_over", "completed", "carried_forward", "review")
        },
        "litigation": sum(litigation) if all(isinstance(v, (int, float)) for v in litigation) else "",
        "score": doc.score if doc.score is not None else "",
        "page": _page_name(index, doc),
    }
    return row


def _bars(items: list[tuple[str, float]], width: int = 420, bar: int = 18) -> str:
    """A horizontal bar chart as inline SVG (labels escaped)."""
    if not items:
        return '<svg width="10" height="10" role="img" aria-label="无数据"></svg>'
    top = max(v for _, v in items) or 1
    label_w = 150
    height = bar * len(items) + 8
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">']
    for i, (label, value) in enumerate(items):
        y = 4 + i * bar
        length = (width - label_w - 50) * value / top
        text = escape(label if len(label) <= 12 else label[:11] + "…")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar - 6}" text-anchor="end">{text}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{length:.1f}" height="{bar - 5}" fill="#4c7fa8"></rect>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + bar - 6}">{value:g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


PAGE = 100  # rows of a table the dashboard shows at a time (script.js pages through the rest)


def _ratio(doc: DocSummary, part: str, whole: str) -> float | None:
    """One key figure over another as a percentage; None when either is not a number or the
    whole is zero."""
    above, below = doc.figure(part), doc.figure(whole)
    if above is None or not below:
        return None
    return round(100 * above / below, 1)


# the figures an agency row follows across years (issue 17): label, how to get it, its unit
TRENDS = (
    ("得分", lambda d: d.score, "分"),
    ("新收申请", lambda d: d.figure("new"), "件"),
    ("实质公开率", lambda d: _ratio(d, "disclosed", "completed"), "%"),
    ("复议纠错率", lambda d: _ratio(d, "review_corrected", "review"), "%"),
)


def sparkline(points: list[tuple[int, float | None]], unit: str, width: int = 84, height: int = 20) -> str:
    """A year-by-year line as inline SVG, kept small (a dashboard has one per agency and figure):
    a gap where a year has no figure, a dot on a value that stands alone, every year's figure in
    the tooltip."""
    known = [(y, v) for y, v in points if v is not None]
    title = escape("；".join(f"{y}年 {'—' if v is None else f'{v:g}{unit}'}" for y, v in points))
    head = f'<svg class="spark" width="{width}" height="{height}" role="img"><title>{title}</title>'
    if not known:
        return head + "</svg>"
    years = [y for y, _ in points]
    low, high = min(v for _, v in known), max(v for _, v in known)
    span_x, span_y = max(years[-1] - years[0], 1), (high - low) or 1

    def xy(year: int, value: float) -> tuple[int, int]:
        return (
            round(3 + (width - 6) * (year - years[0]) / span_x),
            round(height - 3 - (height - 6) * (value - low) / span_y),
        )

    runs: list[list[tuple[int, int]]] = [[]]  # a year without the figure breaks the line
    for year, value in points:
        if value is None:
            runs.append([])
        else:
            runs[-1].append(xy(year, value))
    lines = "".join(f'<polyline points="{" ".join(f"{x},{y}" for x, y in r)}"/>' for r in runs if len(r) > 1)
    dots = "".join(f'<circle cx="{r[0][0]}" cy="{r[0][1]}" r="1.6"/>' for r in runs if len(r) == 1)
    return f"{head}{lines}{dots}</svg>"


def agency_rows(docs: list[DocSummary], parents: dict[str, str] | None = None) -> list[dict]:
    """One row per agency (matched across years as C403 matches it), worst first: its years, mean
    and latest score, errors, reports the roster expected but that were not published, and a
    sparkline for each TRENDS figure. With a roster's parents, an agency's row names its parent
    government and the rows come grouped under it."""
    parents = parents or {}
    grouped: dict[str, list[DocSummary]] = {}
    for doc in docs:
        key = doc.agency_key or doc.agency
        if key:
            grouped.setdefault(key, []).append(doc)
    rows = []
    for key, members in grouped.items():
        members.sort(key=lambda d: d.year or 0)
        present = [d for d in members if not d.absent]
        years = sorted({d.year for d in members if d.year})
        # a year it did not publish counts at the absent score (0): not publishing is the worst result
        scores = [d.score for d in members if d.score is not None]
        latest = (present or members)[-1]
        by_year = {d.year: d for d in present if d.year}
        trends = []
        for label, value_of, unit in TRENDS:
            points = [(y, value_of(by_year[y]) if y in by_year else None) for y in years]
            last = next((v for _, v in reversed(points) if v is not None), None)
            trends.append(
                {
                    "label": label,
                    "svg": sparkline(points, unit) if len(years) > 1 else "",
                    "last": "" if last is None else f"{last:g}{unit if unit != '分' else ''}",
                    "value": "" if last is None else last,
                    "unit": unit,
                    "points": [v for _, v in points],
                }
            )
        rows.append(
            {
                "agency": latest.agency or key,
                "kind": latest.kind,
                "parent": parents.get(key, ""),
                "years": f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else ""),
                "reports": len(present),
                "missing": sum(1 for d in members if d.absent),
                "mean": round(sum(scores) / len(scores), 1) if scores else "",
                "errors": sum(1 for d in present for f in d.findings if f.suppressed is None and f.severity == "error"),
                "trends": trends,
                "span": years,
            }
        )
    rows.sort(key=lambda r: (r["mean"] == "", r["mean"] if r["mean"] != "" else 0, -r["errors"]))
    if parents:  # each government, then its departments, worst groups first (the sort is stable)
        order = {}
        for row in rows:
            order.setdefault(row["parent"] or row["agency"], len(order))
        rows.sort(key=lambda r: (order[r["parent"] or r["agency"]], r["parent"] != ""))
    return rows


def _agencies_data(agencies: list[dict]) -> str:
    """The agencies table's rows as JSON for script.js, which draws every page after the first
    (the first is in the HTML, sparklines and all, for a reader without script): per row its
    cells, then each TRENDS figure's unit, latest value and year-by-year values."""
    data = [
        [
            a["agency"],
            a["parent"],
            KIND_NAMES[a["kind"]],
            a["years"],
            a["reports"],
            a["missing"],
            a["mean"],
            a["errors"],
            a["span"],
            [[t["unit"], t["value"], t["points"]] for t in a["trends"]],
        ]
        for a in agencies
    ]
    return _script_json(data)


def _script_json(data) -> str:
    """Compact JSON safe inside a <script> element (no "<" to end it early)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _reports_data(table: list[dict]) -> str:
    """The reports table's rows as the JSON script.js draws them from (see its column list),
    safe inside a <script> element."""
    data = [
        [
            r["agency"],
            r["kind"],
            KIND_NAMES[r["kind"]],
            r["year"],
            r["published"],
            r["time"],
            r["days_late"],
            r["error"],
            r["warning"],
            r["info"],
            r["new"],
            r["review"],
            r["litigation"],
            r["score"],
            r["causes"],
            r["page"],
            r["path"],
        ]
        for r in table
    ]
    return _script_json(data)


def _timing(docs: list[DocSummary]) -> list[tuple[str, float]]:
    buckets = Counter()
    for doc in docs:
        d = doc.days_late
        label = (
            "无公布日期"
            if d is None
            else "提前 30 天以上"
            if d < -30
            else "提前 0–30 天"
            if d <= 0
            else "逾期 1–30 天"
            if d <= 30
            else "逾期 30 天以上"
        )
        buckets[label] += 1
    order = ["提前 30 天以上", "提前 0–30 天", "逾期 1–30 天", "逾期 30 天以上", "无公布日期"]
    return [(label, buckets[label]) for label in order]


def worst_first(rows: list[dict]) -> list[int]:
    """The reports' order on the dashboard and in the spreadsheet: the lowest score first (a
    roster agency that did not publish scores 0), then the most errors; without a score last."""
    return sorted(
        range(len(rows)),
        key=lambda i: (rows[i]["score"] == "", rows[i]["score"] if rows[i]["score"] != "" else 0, -rows[i]["error"]),
    )


def audit_stats(audited) -> dict:
    """What the dashboard's tiles and the command's last line say, each counting one thing:
    reports published for the audited year (of the roster's agencies when there is one), roster
    agencies that did not publish, files that could not be read, the mean of the published
    reports that were read."""
    published = [d for d in audited.docs if not d.absent]
    read = [d for d in published if d.readable and d.score is not None]
    return {
        "year": audited.year,
        "chosen": audited.chosen,
        "published": len(published),
        "roster": audited.roster,
        "absent": sum(1 for d in audited.docs if d.absent),
        "unreadable": sum(1 for d in published if not d.readable),
        "late": sum(1 for d in published if d.on_time is False),
        "mean_score": round(sum(d.score for d in read) / len(read), 1) if read else "—",
        "others": len(audited.others),
        "approximate": sum(1 for d in published if d.match),
        "off_roster": sum(1 for d in published if d.on_roster is False and d.readable),
    }


def audit_summary(audited) -> str:
    """The command's closing line, in the same words as the dashboard."""
    stats = audit_stats(audited)
    year = (
        f"审计{stats['year']}年度（{'按 --year 指定' if stats['chosen'] == 'given' else '批次中报告最多的年度'}）"
        if stats["year"]
        else "审计各年度的报告"
        if stats["chosen"] == "all"
        else "审计（报告年度未能识别）"
    )
    roster = f"，名册 {stats['roster']} 个机关" if stats["roster"] is not None else ""
    others = f"；另有其他年度的报告 {stats['others']} 份，作为往年参照" if stats["others"] else ""
    if stats["approximate"]:
        others += f"；{stats['approximate']} 份按名称近似匹配到名册"
    if stats["off_roster"]:
        others += f"；{stats['off_roster']} 份不在名册中"
    return (
        f"{year}：已发布 {stats['published']} 份{roster}，未发布 {stats['absent']} 个，"
        f"无法读取 {stats['unreadable']} 份，逾期 {stats['late']} 份，平均得分 {stats['mean_score']}{others}"
    )


def write(
    docs: list[DocSummary],
    outdir: Path,
    rules,
    history: int = 0,
    parents: dict[str, str] | None = None,
    audited=None,
    history_docs=(),
    jobs: int = 1,
) -> None:
    from checker.audit.pages import Pages

    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "reports").mkdir(exist_ok=True)
    if audited is None:  # (a caller with reports only: every one of them counts as published)
        audited = Audited(docs, None, "none")
    rows = [row_of(doc, i) for i, doc in enumerate(docs)]
    order = worst_first(rows)  # the dashboard's order, in the spreadsheet and the CSV too
    past = list(audited.others) + list(history_docs)
    stats = _stats(docs, audited)
    # the spreadsheet, the notice and every report's page by forked workers, while the rest is
    # written here
    sheet = ([docs[i] for i in order], [rows[i] for i in order], COLUMNS, outdir / "summary.xlsx", past)
    side = [(spreadsheet.write, sheet), (notice.write, (docs, stats, outdir / "notice.docx"))]
    pages = Pages(docs, outdir, jobs, report_page, _page_name, side)
    try:
        _write_rest(docs, outdir, history, parents, audited, history_docs, rows, order, stats)
        pages.wait()
    finally:
        pages.stop()


def _stats(docs: list[DocSummary], audited) -> dict:
    active = [f for doc in docs for f in doc.findings if f.suppressed is None]
    severity = Counter(f.severity for f in active)
    dated = [d for d in docs if d.on_time is not None]
    return {
        **audit_stats(audited),
        "error": severity["error"],
        "warning": severity["warning"],
        "info": severity["info"],
        "on_time": sum(1 for d in dated if d.on_time),
        "with_date": len(dated),
    }


def _write_rest(docs, outdir: Path, history: int, parents, audited, history_docs, rows, order, stats) -> None:
    past = list(audited.others) + list(history_docs)
    _write_json(docs, outdir / "findings.json")
    _write_csv([rows[i] for i in order], outdir / "summary.csv")
    env = _env()
    script, script_hash = _script()
    common = {"severity_names": SEVERITY_NAMES, "kind_names": KIND_NAMES, "version": __version__}
    absent = [(i, doc) for i, doc in enumerate(docs) if doc.absent]  # listed on one page
    if absent:
        (outdir / UNPUBLISHED).write_text(
            _env()
            .get_template("unpublished.html.j2")
            .render(docs=absent, kind_names=KIND_NAMES, script=None, script_hash="'none'", version=__version__),
            encoding="utf-8",
        )
    active = [f for doc in docs for f in doc.findings if f.suppressed is None]
    others = [
        {"path": d.path, "agency": d.agency or "", "year": d.year}
        for d in sorted(audited.others, key=lambda d: (d.year, d.path))
    ]
    absent_score = next((d.score for d in docs if d.absent and d.score is not None), 0)
    matched = [
        {"path": d.path, "agency": d.agency or "", "note": d.match, "page": _page_name(i, d)}
        for i, d in enumerate(docs)
        if d.match
    ]
    off_roster = [
        {"path": d.path, "agency": d.agency or "（未识别）", "page": _page_name(i, d)}
        for i, d in enumerate(docs)
        if d.on_roster is False and d.readable and not d.absent
    ]
    by_code = Counter(f.code for f in active)
    reports_by_code = Counter(code for d in docs for code in {f.code for f in d.findings if f.suppressed is None})
    meta = {f.code: f for f in active}
    frequent = [
        {"code": c, "title": meta[c].title, "severity": meta[c].severity, "count": n, "reports": reports_by_code[c]}
        for c, n in by_code.most_common(15)
    ]
    kinds = []
    for kind in KIND_NAMES:
        members = [d for d in docs if d.kind == kind and not d.absent]
        missing = sum(1 for d in docs if d.kind == kind and d.absent)
        if members or missing:
            kind_scores = [d.score for d in members if d.score is not None and d.readable]
            kinds.append(
                {
                    "kind": kind,
                    "reports": len(members),
                    "absent": missing,
                    "on_time": sum(1 for d in members if d.on_time),
                    "late": sum(1 for d in members if d.on_time is False),
                    "errors": sum(
                        1 for d in members for f in d.findings if f.suppressed is None and f.severity == "error"
                    ),
                    "mean_score": round(sum(kind_scores) / len(kind_scores), 1) if kind_scores else "—",
                }
            )
    family = Counter(f.code[0] for f in active)
    agencies = agency_rows(docs + past, parents)  # each agency across the years the audit read
    # the chart ranks the audited year: who lost the most points (a non-publisher all of them)
    several_years = len({d.year for d in docs}) > 1
    by_score = sorted((d for d in docs if d.score is not None and d.score < 100), key=lambda d: d.score)[:15]
    by_errors = sorted((a for a in agencies if a["errors"]), key=lambda a: -a["errors"])[:15]
    charts = {
        "family": _bars([(f"{FAMILY_NAMES[k]}（{k}）", family[k]) for k in FAMILY_NAMES if family[k]]),
        "agencies": _bars(
            [
                (
                    f"{d.agency or d.path}{f' {d.year}' if several_years else ''}（{d.score:g} 分）",
                    round(100 - d.score, 1),
                )
                for d in by_score
            ]
        ),
        "errors": _bars([(a["agency"], a["errors"]) for a in by_errors]),
        "timing": _bars(_timing(docs)),
    }
    time_state = {True: "ontime", False: "late", None: "unknown"}
    table = [
        {
            **row,
            "kind": docs[i].kind,
            "time": "absent" if docs[i].absent else time_state[docs[i].on_time],
            "causes": "；".join(main_causes(docs[i])),
        }
        for i, row in enumerate(rows)
    ]
    table = [table[i] for i in order]
    html = env.get_template("index.html.j2").render(
        docs=docs,
        rows=table[:PAGE],
        total=len(table),
        data=_reports_data(table),
        agencies=agencies[:PAGE],
        agency_total=len(agencies),
        agency_data=_agencies_data(agencies),
        grouped=bool(parents),
        page_size=PAGE,
        trends=TRENDS,
        stats=stats,
        frequent=frequent,
        kinds=kinds,
        charts=charts,
        history=history,
        others=others,
        absent_score=absent_score,
        matched=matched,
        off_roster=off_roster,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        script=script,
        script_hash=script_hash,
        **common,
    )
    (outdir / "index.html").write_text(html, encoding="utf-8")


def document_dict(doc: DocSummary, index: int) -> dict:
    return {
        "path": doc.path,
        "title": doc.title,
        "agency": doc.agency,
        "agency_kind": doc.kind,
        "year": doc.year,
        "regime": doc.regime,
        "published": doc.published,
        "findings": [finding_dict(f) for f in doc.findings],
        "not_assessable": doc.unassessed,
        # extensions of the contract, for --history and for the supervisor's own scripts
        "score": doc.score,
        "due": doc.due,
        "days_late": doc.days_late,
        "page": _page_name(index, doc),
        "facts": {"agency_key": doc.agency_key, "cells": dict(doc.cells), "sections": doc.sections},
        "similar": [{k: v for k, v in s.items()} for s in doc.similar],
    }


def _write_json(docs: list[DocSummary], path: Path) -> None:
    """findings.json, one document at a time (the whole payload as one object was the audit's
    peak of memory at 10,000 reports), a document a line: compact, as Python's fast encoder
    writes it (indenting forced the slow one, 3 CPU-s at 10,000 reports), and still one JSON."""
    head = json.dumps({"schema": SCHEMA, "tool": {"name": "xxgk-checker", "version": __version__}}, ensure_ascii=False)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(head[:-1] + ',"documents":[')
        for i, doc in enumerate(docs):
            text = json.dumps(document_dict(doc, i), ensure_ascii=False, separators=(",", ":"))
            handle.write(("," if i else "") + "\n" + text)
        handle.write("\n]}\n")


def _write_csv(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel opens it as UTF-8
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
