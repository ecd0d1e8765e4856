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
from checker.audit.summary import DocSummary
from checker.audit import spreadsheet  # openpyxl is imported there only when a spreadsheet is written
from checker.audit.spreadsheet import main_causes, safe_cell
from checker.formats.jsonfmt import SCHEMA, finding_dict
from checker.formats.text import where

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_NAMES = {"government": "人民政府", "department": "政府部门", "township": "乡镇、街道", "unknown": "未识别"}
FAMILY_NAMES = {"E": "输入", "S": "结构", "T": "表格", "A": "算术", "C": "一致性", "N": "内容", "D": "日期", "Q": "文字"}
COLUMNS = ["path", "agency", "agency_kind", "year", "regime", "published", "due", "on_time", "days_late",
           "error", "warning", "info", *FAMILY_NAMES, "new", "carried_over", "completed", "carried_forward",
           "review", "litigation", "score", "page"]


@cache  # one environment: its templates are compiled once, not once per report page
def _env() -> Environment:
    folder = Path(__file__).resolve().parent.parent / "templates" / "audit"
    return Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["j2", "html"]),
                       trim_blocks=False, lstrip_blocks=False)


def _script() -> tuple[str, str]:
    script = (Path(__file__).resolve().parent / "script.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return script, f"'sha256-{digest}'"


def _page_name(index: int) -> str:
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
            faults.setdefault(finding.anchor.replace("/", "."), []).append(f"{finding.code} {finding.message}")
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
                state = ("fault" if key in faults else "absent" if key not in doc.cells
                         else "blank" if value is None else "")
                shown = fmt_number(value) if value is not None else ("空或“/”" if key in doc.cells else "—")
                cells.append({"value": shown, "state": state, "title": "；".join(faults.get(key, []))})
            rows.append({"label": row.label, "header": header, "cells": cells})
        columns = None if spec.blocks else ["", *(c.short for c in spec.columns)]
        out.append({"title": f"{spec.section}、{spec.title}", "columns": columns, "rows": rows})
    return out


def report_page(doc: DocSummary, standalone: bool = False) -> str:
    """One report's page: its findings grouped by section in document order, each with its place,
    basis and the offending text or cell marked. The audit writes it per report; `xxgk serve`
    shows it for an uploaded file (standalone: no link back to an audit's index)."""
    similar = {s["fingerprint"]: s for s in doc.similar}
    items = [{"f": f, "x": x, "where": where(doc.path, f.loc),
              "similar": [similar[f.fingerprint]] if f.fingerprint in similar else []}
             for f, x in zip(doc.findings, doc.excerpts)]
    groups: dict[str, list] = {}
    for item in items:
        section = item["f"].section
        groups.setdefault(f"第{section}部分" if section and section in _SECTIONS else "全文", []).append(item)
    order = ["全文", *(f"第{s}部分" for s in _SECTIONS)]
    grouped = [(name, groups[name]) for name in order if name in groups]
    return _env().get_template("report.html.j2").render(
        doc=doc, items=items, groups=grouped, standalone=standalone, script=None, script_hash="'none'",
        tables=tables_view(doc),
        severity_names=SEVERITY_NAMES, kind_names=KIND_NAMES, version=__version__)


def row_of(doc: DocSummary, index: int) -> dict:
    active = [f for f in doc.findings if f.suppressed is None]
    severity = Counter(f.severity for f in active)
    family = Counter(f.code[0] for f in active)
    litigation = [doc.figure("litigation_direct"), doc.figure("litigation_after_review")]
    row = {"path": doc.path, "agency": doc.agency or "", "agency_kind": doc.kind, "year": doc.year or "",
           "regime": doc.regime or "", "published": doc.published or "", "due": doc.due or "",
           "on_time": "" if doc.on_time is None else ("是" if doc.on_time else "否"),
           "days_late": "" if doc.days_late is None else doc.days_late,
           **{s: severity[s] for s in SEVERITY_NAMES}, **{k: family[k] for k in FAMILY_NAMES},
           **{name: "" if doc.figure(name) is None else doc.figure(name)
              for name in ("new", "carried_over", "completed", "carried_forward", "review")},
           "litigation": sum(litigation) if all(isinstance(v, (int, float)) for v in litigation) else "",
           "score": doc.score if doc.score is not None else "", "page": _page_name(index)}
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
        parts.append(f'<text x="{label_w - 6}" y="{y + bar - 6}" text-anchor="end">{text}</text>'
                     f'<rect x="{label_w}" y="{y + 2}" width="{length:.1f}" height="{bar - 5}" fill="#4c7fa8"></rect>'
                     f'<text x="{label_w + length + 4:.1f}" y="{y + bar - 6}">{value:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _timing(docs: list[DocSummary]) -> list[tuple[str, float]]:
    buckets = Counter()
    for doc in docs:
        d = doc.days_late
        label = ("无公布日期" if d is None else "提前 30 天以上" if d < -30 else "提前 0–30 天" if d <= 0
                 else "逾期 1–30 天" if d <= 30 else "逾期 30 天以上")
        buckets[label] += 1
    order = ["提前 30 天以上", "提前 0–30 天", "逾期 1–30 天", "逾期 30 天以上", "无公布日期"]
    return [(label, buckets[label]) for label in order]


def write(docs: list[DocSummary], outdir: Path, rules, history: int = 0) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "reports").mkdir(exist_ok=True)
    rows = [row_of(doc, i) for i, doc in enumerate(docs)]
    _write_json(docs, outdir / "findings.json")
    _write_csv(rows, outdir / "summary.csv")
    spreadsheet.write(docs, rows, COLUMNS, outdir / "summary.xlsx")
    env = _env()
    script, script_hash = _script()
    common = {"severity_names": SEVERITY_NAMES, "kind_names": KIND_NAMES, "version": __version__}
    for i, doc in enumerate(docs):
        (outdir / _page_name(i)).write_text(report_page(doc), encoding="utf-8")
    active = [f for doc in docs for f in doc.findings if f.suppressed is None]
    severity = Counter(f.severity for f in active)
    dated = [d for d in docs if d.on_time is not None]
    scores = [d.score for d in docs if d.score is not None]
    stats = {"error": severity["error"], "warning": severity["warning"], "info": severity["info"],
             "on_time": sum(1 for d in dated if d.on_time), "with_date": len(dated),
             "unreadable": sum(1 for d in docs if not d.readable),
             "mean_score": round(sum(scores) / len(scores), 1) if scores else "—"}
    by_code = Counter(f.code for f in active)
    reports_by_code = Counter(code for d in docs for code in {f.code for f in d.findings if f.suppressed is None})
    meta = {f.code: f for f in active}
    frequent = [{"code": c, "title": meta[c].title, "severity": meta[c].severity, "count": n,
                 "reports": reports_by_code[c]} for c, n in by_code.most_common(15)]
    kinds = []
    for kind in KIND_NAMES:
        members = [d for d in docs if d.kind == kind]
        if members:
            kind_scores = [d.score for d in members if d.score is not None]
            kinds.append({"kind": kind, "reports": len(members), "on_time": sum(1 for d in members if d.on_time),
                          "late": sum(1 for d in members if d.on_time is False),
                          "errors": sum(1 for d in members for f in d.findings if f.suppressed is None and f.severity == "error"),
                          "mean_score": round(sum(kind_scores) / len(kind_scores), 1) if kind_scores else "—"})
    family = Counter(f.code[0] for f in active)
    worst = sorted((d for d in docs if d.score is not None and d.score < 100), key=lambda d: d.score)[:15]
    charts = {"family": _bars([(f"{FAMILY_NAMES[k]}（{k}）", family[k]) for k in FAMILY_NAMES if family[k]]),
              "agencies": _bars([(f"{d.agency or Path(d.path).name} {d.year or ''}（{d.score:g} 分）", round(100 - d.score, 1))
                                 for d in worst]),
              "timing": _bars(_timing(docs))}
    time_state = {True: "ontime", False: "late", None: "unknown"}
    table = [{**row, "kind": docs[i].kind, "time": time_state[docs[i].on_time], "causes": "；".join(main_causes(docs[i]))}
             for i, row in enumerate(rows)]
    # worst first: the lowest score, then the most errors; reports without a score last
    table.sort(key=lambda row: (row["score"] == "", row["score"] if row["score"] != "" else 0, -row["error"]))
    html = env.get_template("index.html.j2").render(
        docs=docs, rows=table, stats=stats, frequent=frequent, kinds=kinds, charts=charts, history=history,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), script=script, script_hash=script_hash, **common)
    (outdir / "index.html").write_text(html, encoding="utf-8")


def document_dict(doc: DocSummary, index: int) -> dict:
    return {"path": doc.path, "title": doc.title, "agency": doc.agency, "agency_kind": doc.kind,
            "year": doc.year, "regime": doc.regime, "published": doc.published,
            "findings": [finding_dict(f) for f in doc.findings],
            "not_assessable": doc.unassessed,
            # extensions of the contract, for --history and for the supervisor's own scripts
            "score": doc.score, "due": doc.due, "days_late": doc.days_late, "page": _page_name(index),
            "facts": {"agency_key": doc.agency_key, "cells": doc.cells, "sections": doc.sections},
            "similar": [{k: v for k, v in s.items()} for s in doc.similar]}


def _write_json(docs: list[DocSummary], path: Path) -> None:
    payload = {"schema": SCHEMA, "tool": {"name": "xxgk-checker", "version": __version__},
               "documents": [document_dict(d, i) for i, d in enumerate(docs)]}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_csv(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel opens it as UTF-8
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
