"""summary.xlsx, for the supervisor who works in a spreadsheet: Chinese headers, a filter and a
frozen header row on every sheet, real dates and numbers, each report linked to its page; a
sheet of every finding (one row each) and one of each agency across its years. summary.csv keeps
the machine column names (docs/audit.md) so scripts do not break."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

# the Chinese header of each summary column (the family and severity columns are named from the
# audit's own names, checker/audit/report.py)
HEADERS = {
    "path": "文件",
    "agency": "机关",
    "agency_kind": "机关类别",
    "year": "年度",
    "regime": "适用格式",
    "published": "公布日期",
    "due": "公布期限",
    "on_time": "按期公布",
    "days_late": "逾期天数",
    "new": "本年新收申请",
    "carried_over": "上年结转",
    "completed": "办理结果总计",
    "carried_forward": "结转下年度",
    "review": "行政复议",
    "litigation": "行政诉讼",
    "score": "得分",
    "page": "报告页",
}
WIDTHS = {"文件": 34, "机关": 26, "问题": 70, "依据": 40, "位置": 22, "主要问题": 50}


def main_causes(doc, count: int = 3) -> list[str]:
    """The report's main problems in words: the rules with the most weight among its findings
    (errors first), each with how many times it was found."""
    weight = {"error": 100, "warning": 10, "info": 1}
    tally: Counter = Counter()
    times: Counter = Counter()
    titles = {}
    for finding in doc.findings:
        if finding.suppressed is None:
            tally[finding.code] += weight.get(finding.severity, 1)
            times[finding.code] += 1
            titles[finding.code] = finding.title
    return [
        f"{titles[code]}（{code}{'×' + str(times[code]) if times[code] > 1 else ''}）"
        for code, _ in tally.most_common(count)
    ]


def _date(value):
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def safe_cell(value):
    """A cell that cannot be a formula (a report's own text is data, never code)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _sheet(book, title: str, headers: list[str], rows, count: int, links=None) -> None:
    """One sheet, streamed row by row (openpyxl's write-only mode: a cell object for each of a
    10,000-report audit's million cells was 300 MB). `count` is the number of rows (the filter's
    range is declared before the first row); `links`, a column index and each row's target."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    for index, header in enumerate(headers, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(header, max(8, len(header) * 2 + 2))
    bold, link_font = Font(bold=True), Font(color="0563C1", underline="single")

    def cell(value, **style):
        made = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(made, name, setting)
        return made

    sheet.append([cell(header, font=bold) for header in headers])
    link_column, targets = links or (None, ())
    targets = iter(targets)
    for row in rows:
        values = [cell(v, number_format="yyyy-mm-dd") if isinstance(v, dt.date) else safe_cell(v) for v in row]
        if link_column is not None:
            values[link_column] = cell(values[link_column], hyperlink=next(targets), font=link_font)
        sheet.append(values)


def _shown(doc, row: dict, column: str):
    """A report's value as the spreadsheet shows it: kinds and formats in words, dates as dates,
    whether it was on time said even where it cannot be known."""
    from checker.audit.names import REGIME_NAMES
    from checker.facts.report_meta import KIND_NAMES

    value = row[column]
    if column == "agency_kind":
        return KIND_NAMES.get(value, value)
    if column == "regime":
        return REGIME_NAMES.get(value, value)
    if column in ("published", "due"):
        return _date(value)
    if column == "on_time" and value == "":
        return "未发布" if doc.absent else "无日期"
    return value


def _years_side_by_side(docs, past) -> tuple[list[str], list[list]]:
    """机关历年: one row per agency, a group of columns per year (得分, 错误, 本年新收申请) — the
    audited year's reports with the other years the audit read (the folder's other years and
    --history), worst latest score first."""
    by_agency: dict[str, dict[int, object]] = {}
    names: dict[str, tuple[str, str]] = {}
    for doc in list(past) + list(docs):  # the audited reports last: their names win
        key = doc.agency_key or doc.agency or doc.path
        if doc.year:
            by_agency.setdefault(key, {})[doc.year] = doc
            names[key] = (doc.agency or doc.path, doc.kind)
    years = sorted({year for found in by_agency.values() for year in found})
    headers = ["机关", "机关类别"] + [f"{year}年{what}" for year in years for what in ("得分", "错误", "本年新收申请")]

    def errors(doc):
        if doc.absent or not doc.findings:
            return "" if not doc.absent else 0
        return sum(1 for f in doc.findings if f.suppressed is None and f.severity == "error")

    from checker.facts.report_meta import KIND_NAMES

    rows = []
    for key, found in by_agency.items():
        name, kind = names[key]
        row = [name, KIND_NAMES.get(kind, kind)]
        for year in years:
            doc = found.get(year)
            if doc is None:
                row += ["", "", ""]
            else:
                new = doc.figure("new")
                row += ["" if doc.score is None else doc.score, errors(doc), "" if new is None else new]
        rows.append(row)
    latest = [2 + 3 * (len(years) - 1 - k) for k in range(len(years))]  # each year's 得分 column, latest first
    rows.sort(key=lambda r: next((r[c] for c in latest if r[c] != ""), 101))
    return headers, rows


def write(docs, rows: list[dict], columns: list[str], path: Path, past=()) -> None:
    from openpyxl import Workbook

    from checker.audit.names import FAMILY_NAMES, SEVERITY_NAMES
    from checker.formats.text import where

    book = Workbook(write_only=True)
    names = {**HEADERS, **SEVERITY_NAMES, **FAMILY_NAMES}
    headers = [names.get(c, c) for c in columns] + ["主要问题"]
    causes = {id(doc): "；".join(main_causes(doc)) for doc in docs}
    body = ([_shown(doc, row, c) for c in columns] + [causes[id(doc)]] for doc, row in zip(docs, rows))
    _sheet(book, "报告", headers, body, len(rows), (columns.index("page"), [row["page"] for row in rows]))
    findings = (
        [
            doc.agency or "",
            doc.year or "",
            doc.path,
            finding.code,
            SEVERITY_NAMES.get(finding.severity, finding.severity),
            finding.message,
            where(Path(doc.path).name, finding.loc),
            finding.basis,
            finding.suppressed.reason if finding.suppressed else "",
        ]
        for doc in docs
        for finding in doc.findings
    )
    _sheet(
        book,
        "问题",
        ["机关", "年度", "文件", "代码", "级别", "问题", "位置", "依据", "豁免理由"],
        findings,
        sum(len(doc.findings) for doc in docs),
    )
    headers, wide = _years_side_by_side(docs, past)
    _sheet(book, "机关历年", headers, wide, len(wide))
    book.save(path)
