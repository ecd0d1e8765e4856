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
    source = tmp_path / f"{name}.html"
    source.write_text(html, encoding="utf-8")
    target = tmp_path / f"{name}.pdf"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={target}", source.as_uri()], capture_output=True, timeout=60, check=True)
    return target


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
    picture = ('<html><body><svg width="600" height="800"><rect width="600" height="800" fill="#eee"/>'
               '<circle cx="300" cy="300" r="120" fill="#333"/></svg></body></html>')
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
    assert any("全年收取政府信息公开信息处理费 3940 元" in t for t in texts)  # a sentence over two lines, joined
