"""Every finding at its evidence, in every format: run each seed, corpus file and example through
`check --format json` (in process) and, for every finding that names a cell or a phrase, its
excerpt holds that cell value or phrase. Then the exact place, format by format, on reports
written here with known positions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.ingest.document import compact
from conftest import EXAMPLES, SHARED, apply_edits, check_text, real_files, real_path

SUFFIXES = {".txt", ".md", ".html", ".docx", ".pdf"}


def _files() -> list[Path]:
    found = sorted(p for p in EXAMPLES.iterdir() if p.suffix in SUFFIXES)
    return found + [p for name in ("seeds", "corpus") for p in real_files(name) if p.suffix in SUFFIXES]


def check_json(*args) -> dict:
    run = CliRunner().invoke(app, ["check", *map(str, args), "--format", "json"])
    assert run.exit_code in (0, 1), run.output
    return json.loads(run.stdout)


def _visible(text: str) -> str:
    return compact(text).replace("|", "")


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_every_finding_excerpt_shows_its_evidence(path):
    document = check_json(path)["documents"][0]
    named = [f for f in document["findings"] if f.get("evidence")]
    for finding in document["findings"]:
        assert "<" not in (finding.get("excerpt") or "") or path.suffix != ".html", finding  # never markup
    for finding in named:
        assert finding["excerpt"], finding
        assert _visible(finding["evidence"]) in _visible(finding["excerpt"]), (
            finding["code"],
            finding["evidence"],
            finding["excerpt"],
        )


def test_the_evidence_test_is_not_empty():
    """The test above must have something to check: the defective example names cells and phrases."""
    document = check_json(EXAMPLES / "defective-2021.md")["documents"][0]
    assert sum(1 for f in document["findings"] if f.get("evidence")) >= 3


def page_from_markdown(markdown: str) -> str:
    """The report as a CMS would publish it: one line of HTML, headings, paragraphs and tables."""
    out, rows = [], []

    def flush():
        if rows:
            out.append(
                "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"
            )
            rows.clear()

    for line in markdown.splitlines():
        text = line.strip()
        if text.startswith("|"):
            if not set(text) <= set("|-: "):
                rows.append([c.strip() for c in text.strip("|").split("|")])
            continue
        flush()
        if text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            out.append(f"<h{level}>{text.lstrip('#').strip()}</h{level}>")
        elif text:
            out.append(f"<p>{text}</p>")
    flush()
    return '<html><head><meta charset="utf-8"></head><body>' + "".join(out) + "</body></html>"


def test_html_on_one_line_has_columns_and_shows_text_not_markup(clean_2021, tmp_path):
    """A one-line web page: the prose figure is at its own column, the excerpt is the visible text."""
    page = page_from_markdown(
        apply_edits(clean_2021, [["全年共收到政府信息公开申请45件", "全年共收到政府信息公开申请54件"]])
    )
    assert "\n" not in page
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    document = check_json(path)["documents"][0]
    (finding,) = [f for f in document["findings"] if f["code"] == "C401"]
    column = page.index("54件") + 1
    assert (finding["line"], finding["column"]) == (1, column)
    assert finding["evidence"] in finding["excerpt"] and "<" not in finding["excerpt"]


def test_html_table_cell_points_at_the_cell(clean_2021, tmp_path):
    page = page_from_markdown(apply_edits(clean_2021, [["| 规章 | 0 | 0 | 0 |", "| 规章 | / | 0 | 0 |"]]))
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    document = check_json(path)["documents"][0]
    (finding,) = [f for f in document["findings"] if f["code"] == "T204"]
    row = page.index("<td>规章</td>")
    assert finding["column"] == page.index("<td>/</td>", row) + 1 and finding["line"] == 1  # the cell's <td>
    assert finding["excerpt"].startswith("规章 | /")


def test_docx_table_cell_is_named_by_table_row_and_column(tmp_path, clean_2021):
    from checker.formats.docx_writer import write

    path = tmp_path / "report.docx"
    write(apply_edits(clean_2021, [["| 规章 | 0 | 0 | 0 |", "| 规章 | / | 0 | 0 |"]]), path)
    run = CliRunner().invoke(app, ["check", str(path)])
    line = next(line for line in run.stdout.splitlines() if " T204 " in line)
    assert re.search(r"report\.docx:表1 第\d+行 第2列 T204", line), line
    document = check_json(path)["documents"][0]
    (finding,) = [f for f in document["findings"] if f["code"] == "T204"]
    assert finding["cell"]["table"] == 1 and finding["cell"]["column"] == 2
    assert finding["excerpt"].startswith("规章 | /")


def test_pdf_cell_at_its_row_line_and_box():
    path = real_path(SHARED / "corpus" / "001_huaian-hongze-district-gov-2023.pdf")
    document = check_json(path)["documents"][0]
    review = [f for f in document["findings"] if f["code"] == "A304"]
    assert review and all(f["page"] == 4 and f["line"] == 14 for f in review)
    assert all(f["excerpt"].startswith("10 | 1 | 0") and len(f["bbox"]) == 4 for f in review)


def test_markdown_cell_at_line_and_column(clean_2021):
    result = check_text(apply_edits(clean_2021, [["| 行政强制 | 12 | | |", "| 行政强制 | -12 | | |"]]))
    (finding,) = [f for f in result.findings if f.code == "T203"]
    lines = apply_edits(clean_2021, [["| 行政强制 | 12 | | |", "| 行政强制 | -12 | | |"]]).splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("| 行政强制 | -12"))
    assert (finding.loc.line, finding.loc.column) == (line, lines[line - 1].index("-12") + 1)
