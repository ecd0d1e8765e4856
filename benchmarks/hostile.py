"""Hostile inputs at growing sizes: each class must stay linear (or be refused) and bounded in
memory. Every case runs as its own `xxgk check` process; the table gives wall seconds, the peak
RSS of any process of the check (its sandboxed reader, Tesseract and LibreOffice included) and the
finding it ends in. The PDF, scan and office classes need Debian's tesseract-ocr and LibreOffice
for every row to mean what it says. Run: python benchmarks/hostile.py [--quick]"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile_files  # noqa: E402

CLEAN = (ROOT / "examples" / "clean-2021.md").read_text(encoding="utf-8")
HEAD = "# 某局2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(body: str, styles: str | None = None) -> bytes:
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(ROOT / "examples" / "clean-2021.docx") as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = xml.encode()
            elif item.filename == "word/styles.xml" and styles is not None:
                data = styles.encode()
            target.writestr(item, data)
    return buffer.getvalue()


def digits(n):
    return "r.md", (HEAD + "全年共收到政府信息公开申请" + "9" * n + "件，其中予以公开" + "8" * n + "件。\n").encode()


def invisible(n):
    return "r.txt", (HEAD + "报\u200b(guān)" * n + "\n").encode()


def directives(n):
    return "r.md", (HEAD + "".join(f"<!-- xxgk-disable-next A302 -- 理由 -->\n段落{i}\n\n" for i in range(n))).encode()


def html_spans(n):
    row = "<tr>" + '<td colspan="200" rowspan="200">1</td>' * 20 + "</tr>"
    return "r.html", (
        "<html><body><h1>某局2024年政府信息公开工作年度报告</h1>" + f"<table>{row * n}</table>" * 3 + "</body></html>"
    ).encode()


def docx_grid(n):
    span = '<w:tc><w:tcPr><w:gridSpan w:val="200"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    rows = ("<w:tr>" + span * 20 + "</w:tr>") * 20 + "<w:tr/>" * n
    return "r.docx", _docx(
        "<w:p><w:r><w:t>某局2024年政府信息公开工作年度报告</w:t></w:r></w:p>" + f"<w:tbl>{rows}</w:tbl>"
    )


def docx_styles(n):
    styles = (
        f'<?xml version="1.0"?><w:styles xmlns:w="{W}">'
        + '<w:style w:styleId="a"><w:basedOn w:val="b"/></w:style>' * n
        + "</w:styles>"
    )
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="s{i}"/></w:pPr><w:r><w:t>段落{i}</w:t></w:r></w:p>' for i in range(200)
    )
    return "r.docx", _docx(body, styles)


def long_report(n):
    return "r.md", (CLEAN + "\n" + ("全年共收到政府信息公开申请45件。" * 40 + "\n\n") * n).encode()


def pdf_xobjects(levels):
    return "r.pdf", hostile_files.xobject_bomb(levels)


def pdf_inflates(megabytes):
    return "r.pdf", hostile_files.flate_bomb(megabytes)


def pdf_wide_page(points):
    return "r.pdf", hostile_files.wide_page(points)


def pdf_blank_scan(pages):
    return "r.pdf", hostile_files.blank_scan(pages)


def odt_paragraphs(count):
    return "r.odt", hostile_files.odt_paragraphs(count)


CLASSES = {
    "digits in prose": (digits, [10_000, 40_000, 160_000]),
    "invisible + pinyin debris": (invisible, [20_000, 80_000, 320_000]),
    "disable-next directives": (directives, [2_000, 8_000, 32_000]),
    "html colspan/rowspan grid": (html_spans, [100, 400, 1_600]),
    "docx sparse huge grid": (docx_grid, [5_000, 20_000, 80_000]),
    "docx styles.xml": (docx_styles, [5_000, 20_000, 80_000]),
    "pdf xobjects (levels of 10)": (pdf_xobjects, [3, 5, 7]),
    "pdf flate stream (MB)": (pdf_inflates, [64, 512, 2048]),
    "pdf page side (points)": (pdf_wide_page, [1200, 4800, 14400]),
    "pdf blank scan (pages)": (pdf_blank_scan, [50, 200, 500]),
    "odt empty paragraphs": (odt_paragraphs, [10_000, 100_000, 400_000]),
    "long report (baseline)": (long_report, [10, 40, 160]),
}


# a fresh parent per case, whose children's peak RSS is that of the largest process of the check
_MEASURE = (
    "import json, resource, subprocess, sys, time; start = time.perf_counter(); "
    "done = subprocess.run(sys.argv[1:], capture_output=True); "
    "print(json.dumps([time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
    "done.returncode, done.stdout.decode('utf-8', 'replace')]))"
)


def run(name: str, data: bytes) -> tuple[float, float, int, str]:
    import json

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        measured = subprocess.run(
            [sys.executable, "-c", _MEASURE, sys.executable, "-m", "checker", "check", str(path), "--format", "json"],
            capture_output=True,
            cwd=ROOT,
            text=True,
        )
        seconds, peak, code, out = json.loads(measured.stdout)
        try:
            codes = sorted(
                {f["code"] for d in json.loads(out)["documents"] for f in d["findings"] if f["code"][0] == "E"}
            )
        except (ValueError, KeyError):
            codes = []
        return seconds, peak / 1024, code, ",".join(codes)


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"{'class':<28}{'size':>10}{'input KB':>10}{'seconds':>9}{'peak MB':>9}{'exit':>6}  finding")
    for label, (make, sizes) in CLASSES.items():
        for size in sizes[:2] if quick else sizes:
            name, data = make(size)
            seconds, peak, code, codes = run(name, data)
            print(f"{label:<28}{size:>10}{len(data) // 1024:>10}{seconds:>9.2f}{peak:>9.0f}{code:>6}  {codes}")


if __name__ == "__main__":
    main()
