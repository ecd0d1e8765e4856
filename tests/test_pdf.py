"""PDF input: real PDFs (the corpus's, and ones Debian's chromium prints from the examples)
give the same facts as the report's text and tables; no text layer is E003, encryption E001."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.pipeline import check_bytes, check_path
from conftest import EXAMPLES, check_text, codes, shared_dir

from batch import md_to_html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium prints the PDFs")


def print_pdf(html: str, tmp_path: Path, name: str) -> Path:
    from renderers import chromium_pdf

    return chromium_pdf(html, tmp_path / f"{name}.pdf")


@needs_chromium
def test_a_printed_pdf_gives_the_same_cells_as_its_source(tmp_path):
    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    pdf = check_path(print_pdf(md_to_html(markdown), tmp_path, "clean"))
    md = check_text(markdown)
    assert pdf.document.format == "pdf" and len(pdf.facts.sections) == 6
    for table in ("requests", "appeals"):
        expected = {k: c.value for k, c in md.facts.cells.items() if k.startswith(table + ".")}
        got = {k: c.value for k, c in pdf.facts.cells.items() if k.startswith(table + ".")}
        assert got == expected, table
    assert not [c for c in codes(pdf) if c[0] in "AST"], codes(pdf)
    assert all(f.loc is None or f.loc.page for f in pdf.findings)


@needs_chromium
def test_a_pdf_without_a_text_layer_is_e003(tmp_path):
    picture = (
        '<html><body><svg width="600" height="800"><rect width="600" height="800" fill="#eee"/>'
        '<circle cx="300" cy="300" r="120" fill="#333"/></svg></body></html>'
    )
    result = check_path(print_pdf(picture, tmp_path, "scan"))
    assert codes(result) == ["E003"]


@needs_chromium
def test_an_encrypted_pdf_is_e001(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = print_pdf(md_to_html((EXAMPLES / "clean-2008.md").read_text(encoding="utf-8")), tmp_path, "plain")
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = check_bytes(buffer.getvalue(), "locked.pdf")
    assert codes(result) == ["E001"] and "加密" in result.findings[0].message


def test_corpus_pdf_figures_match_its_text_and_sums():
    (path,) = shared_dir("corpus").glob("003_*.pdf")
    result = check_path(path)
    cells = result.facts.cells
    assert cells["requests.new.total"].value == 3119  # "全市共受理政府信息公开申请 3119 件"
    assert not [f for f in result.findings if f.code.startswith(("A", "C40"))]
    texts = [p.text for p in result.report.paragraphs()]
    assert not [t for t in texts if re.fullmatch(r"[-—\s]*\d+[-—\s]*", t)]  # page numbers dropped
    assert any("全年收取政府信息公开信息处理费3940元" in t for t in texts)  # a sentence over two lines, joined
    # (without the gap the editor set between the digits and the Chinese text)


def test_corpus_pdfs_keep_their_keyed_cells():
    """The keyed cells of the corpus PDFs as the previous reader (pdfplumber over pdfminer) read
    them: the PDFium reader must give the same, cell for cell."""
    import json

    expected = json.loads((Path(__file__).parent / "fixtures" / "corpus-pdf-cells.json").read_text(encoding="utf-8"))
    for name, cells in expected.items():
        path = shared_dir("corpus") / name
        if not path.exists():
            continue
        got = {k: c.value for k, c in check_path(path).facts.cells.items()}
        assert got == cells, name


def _paged_html(markdown: str, css: str, header_rows: int = 2) -> str:
    """The report as a web page whose tables repeat their first rows on every printed page
    (thead), drawn with ruling lines, and styled by `css`."""
    page = md_to_html(markdown).replace("<table border='1'>", "<table>")
    out = []
    for part in re.split(r"(<table>.*?</table>)", page, flags=re.S):
        if part.startswith("<table>"):
            rows = re.findall(r"<tr>.*?</tr>", part, flags=re.S)
            part = (
                "<table><thead>"
                + "".join(rows[:header_rows])
                + "</thead><tbody>"
                + "".join(rows[header_rows:])
                + "</tbody></table>"
            )
        out.append(part)
    style = (
        "<style>table{border-collapse:collapse;width:100%}td{border:1px solid #000;font-size:12px}" + css + "</style>"
    )
    return "".join(out).replace("</head>", style + "</head>")


def _table_cells(result, *tables):
    return {k: c.value for k, c in result.facts.cells.items() if k.split(".")[0] in tables}


@needs_chromium
def test_a_table_split_over_pages_with_its_header_repeated_is_one_table(tmp_path):
    """Tall rows push table 三 over two or three pages; Chromium repeats its header rows on each,
    and prints the date, title, address and "2/5" in the margins (running header and footer)."""
    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    html = _paged_html(markdown, "td{padding:9px 4px}")
    source = tmp_path / "paged.html"
    source.write_text(html, encoding="utf-8")
    target = tmp_path / "paged.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={target}", source.as_uri()],
        capture_output=True,
        timeout=60,
        check=True,
    )
    pdf = check_path(target)
    md = check_text(markdown)
    requests = [c for k, c in pdf.facts.cells.items() if k.startswith("requests.")]
    assert len({c.loc.page for c in requests}) >= 2  # the table did cross a page
    assert len({c.loc.cell[0] for c in requests}) == 1  # and is read as one table, its header once
    (table,) = {c.loc.cell[0] for c in requests}
    tables = [b for b in pdf.source.blocks if hasattr(b, "rows")]
    rows = [[c.text for c in row] for row in tables[table - 1].rows]
    assert sum(1 for row in rows if row == rows[0]) == 1
    assert _table_cells(pdf, "requests", "appeals", "active") == _table_cells(md, "requests", "appeals", "active")
    assert not [c for c in codes(pdf) if c[0] in "AST"], codes(pdf)
    texts = [p.text for p in pdf.report.paragraphs()]
    assert not [t for t in texts if "file://" in t or re.search(r"\d+/\d+$", t)]  # margins are not text


@needs_chromium
def test_wrapped_row_labels_key_their_rows(tmp_path):
    """A narrow first column wraps every row label over two or three lines inside its cell."""
    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    html = _paged_html(markdown, "td{padding:2px}td:first-child{width:4.5em}")
    pdf = check_path(print_pdf(html, tmp_path, "wrapped"))
    assert _table_cells(pdf, "requests", "appeals", "active") == _table_cells(
        check_text(markdown), "requests", "appeals", "active"
    )


@needs_chromium
def test_findings_on_a_pdf_name_page_line_and_box(tmp_path):
    markdown = (
        (EXAMPLES / "clean-2021.md")
        .read_text(encoding="utf-8")
        .replace("| 2 | 1 | 0 | 1 | 4 |", "| 2 | 1 | 0 | 1 | 5 |")
    )
    path = print_pdf(md_to_html(markdown), tmp_path, "faulty")
    result = check_path(path)
    (finding,) = [f for f in result.findings if f.code == "A304"]
    assert finding.loc.unit == "page" and finding.loc.page >= 2 and finding.loc.line > 1
    x0, top, x1, bottom = finding.loc.bbox
    assert 0 < x0 < x1 < 600 and 0 < top < bottom < 850
    from checker.formats.jsonfmt import finding_dict
    from checker.formats.text import where

    entry = finding_dict(finding, result.source)
    assert entry["page"] == finding.loc.page and entry["bbox"] == list(finding.loc.bbox)
    assert "5" in entry["excerpt"].split(" | ")  # the row holding the faulty total
    assert where("r.pdf", finding.loc).startswith(f"r.pdf:第{finding.loc.page}页 第{finding.loc.line}行")


def _tesseract():
    from checker.ingest.pdf_ocr import tesseract

    return tesseract()


needs_tesseract = pytest.mark.skipif(
    not _tesseract() and not __import__("os").environ.get("XXGK_REQUIRE_TESSERACT"),
    reason="Debian's tesseract-ocr and tesseract-ocr-chi-sim read scanned pages",
)


def _scanned(pdf_path: Path, target: Path, dpi: int = 200) -> Path:
    """The PDF as a scanner would give it: each page an image, no text layer."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))]
    images[0].save(target, save_all=True, append_images=images[1:], resolution=dpi)
    return target


def _ocr_agrees(markdown: str, tmp_path, tables: tuple[str, ...]):
    """The report printed with ruled tables at 12 px (9 pt, the smallest a report uses), each page
    scanned at 200 dpi and read back by OCR: at least nine keyed cells in ten of `tables` read as
    the text layer gives them (the corpus PDFs scanned the same way agree on 95%; see
    benchmarks/ocr.py). Returns the OCR'd result."""
    printed = print_pdf(_paged_html(markdown, "td{padding:2px;font-size:12px}"), tmp_path, "printed")
    result = check_path(_scanned(printed, tmp_path / "scan.pdf"))
    assert "E003" not in codes(result) and result.source.meta["ocr_pages"]
    expected = _table_cells(check_text(markdown), *tables)
    got = _table_cells(result, *tables)
    assert expected
    same = sum(1 for k, v in expected.items() if got.get(k) == v)
    assert same >= 0.9 * len(expected), (same, len(expected))
    return result


@needs_chromium
@needs_tesseract
def test_a_scanned_page_is_read_by_ocr_and_says_so(tmp_path):
    """The smaller case, every run: sections 一 and 二 of the example, one scanned page."""
    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    result = _ocr_agrees(markdown[: markdown.index("## 三、")], tmp_path, ("active",))
    assert len(result.source.meta["ocr_pages"]) == 1
    from checker.formats import text

    assert "文字由 OCR 识别" in text.render([result])


@pytest.mark.full
@needs_chromium
@needs_tesseract
def test_a_scanned_report_is_read_by_ocr_and_says_so(tmp_path):
    """The whole example, every page scanned: its three tables read back by OCR."""
    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    result = _ocr_agrees(markdown, tmp_path, ("requests", "appeals", "active"))
    from checker.formats import jsonfmt

    on_pages = [f for f in result.findings if f.loc and f.loc.page]
    assert on_pages and all(jsonfmt.finding_dict(f, result.source).get("ocr") for f in on_pages)
    from checker.formats import jsonfmt, text

    on_pages = [f for f in result.findings if f.loc and f.loc.page]
    assert on_pages and all(jsonfmt.finding_dict(f, result.source).get("ocr") for f in on_pages)
    assert "文字由 OCR 识别" in text.render([result])


@needs_chromium
def test_without_tesseract_a_scan_is_e003_saying_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_TESSERACT", str(tmp_path / "no-such-program"))
    printed = print_pdf(md_to_html((EXAMPLES / "clean-2008.md").read_text(encoding="utf-8")), tmp_path, "p")
    result = check_path(_scanned(printed, tmp_path / "scan.pdf", dpi=50))
    assert codes(result) == ["E003"] and "tesseract-ocr-chi-sim" in result.findings[0].message


@needs_chromium
def test_a_diagonal_watermark_is_not_report_text(tmp_path):
    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    mark = (
        "<div style='position:fixed;top:40%;left:10%;font-size:64px;color:#ddd;transform:rotate(-35deg)'>"
        "内部征求意见稿</div>"
    )
    pdf = check_path(print_pdf(md_to_html(markdown).replace("<body>", "<body>" + mark), tmp_path, "marked"))
    assert not [p.text for p in pdf.report.paragraphs() if "征求意见" in p.text]
    assert _table_cells(pdf, "requests", "appeals") == _table_cells(check_text(markdown), "requests", "appeals")


@needs_chromium
@needs_tesseract
def test_an_error_read_off_a_scan_is_a_warning_to_check_the_scan(tmp_path):
    """Table 四 with a wrong total, printed and scanned: the text copy's A304 error is, on the
    scan, a warning that says to check the scan — OCR may have misread the digit; a cell-anchored
    error is kept only where its table's relations all hold with the digits as read."""
    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    title = markdown.splitlines()[0]
    part = markdown[markdown.index("## 四、") : markdown.index("## 五、")]
    wrong = (title + "\n\n" + part).replace(
        "| 2 | 1 | 0 | 1 | 4 | 1 | 0 | 0 | 1 | 2 | 1 | 0 | 0 | 0 | 1 |",
        "| 2 | 1 | 0 | 1 | 5 | 1 | 0 | 0 | 1 | 2 | 1 | 0 | 0 | 0 | 1 |",
    )
    assert wrong.count("| 5 |") == 1
    as_text = [f for f in check_text(wrong).findings if f.code == "A304"]
    assert [(f.severity, f.anchor) for f in as_text] == [("error", "appeals/review/total")]
    printed = print_pdf(_paged_html(wrong, "td{padding:2px;font-size:12px}"), tmp_path, "printed")
    scanned = check_path(_scanned(printed, tmp_path / "scan.pdf"))
    assert scanned.source.meta["ocr_pages"] == [1]
    (finding,) = [f for f in scanned.findings if f.code == "A304"]
    assert finding.severity == "warning" and finding.anchor == "appeals/review/total" and finding.loc.page == 1
    assert finding.message.endswith("（依据扫描件的文字识别结果，未经核实，请核对扫描件）")
    assert not [f for f in scanned.findings if f.severity == "error"]


@needs_chromium
def test_prose_in_a_drawn_frame_is_joined_into_paragraphs_as_any_prose(tmp_path):
    """Body text set in a ruled frame, a row a line (as a word processor's boxed text prints): each
    row is a line like any other, so a sentence the frame wrapped ("受理政府⏎信息公开申请45件") is
    one sentence again and its figure is read."""
    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    html = md_to_html(markdown)
    sentence = "（二）依申请公开。全年共收到政府信息公开申请45件，上年结转3件，办结45件，结转下年度继续办理3件。"
    start = html.index("<p>" + sentence)
    end = html.index("</p>", start) + 4
    rest = html[start + 3 + len(sentence) : end - 4]
    wrong = sentence.replace("申请45件", "申请44件")
    rows = [wrong[:20], wrong[20:], rest]  # "…全年共收到政府信息公开" | "申请44件，…"
    frame = (
        "<table style='width:100%;border-collapse:collapse'>"
        + "".join(
            f"<tr><td style='border:1px solid #000;text-align:justify;text-align-last:"
            f"{'justify' if i < 2 else 'left'}'>{row}</td></tr>"
            for i, row in enumerate(rows)
        )
        + "</table>"
    )
    boxed = check_path(print_pdf(html[:start] + frame + html[end:], tmp_path, "boxed"))
    paragraph = next(p for p in boxed.report.paragraphs() if "全年共收到政府信息公开" in p.text)
    assert "全年共收到政府信息公开申请44件，上年结转3件" in paragraph.text
    (finding,) = [f for f in boxed.findings if f.code == "C401"]
    assert finding.anchor == "requests/new/total" and finding.loc.page == 1
