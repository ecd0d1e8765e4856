"""Hostile inputs at growing sizes: each class must stay linear (or be refused) and bounded in
memory. Every case runs as its own `xxgk check` process; the table gives wall seconds and peak
RSS per size. Run: python benchmarks/hostile.py [--quick]"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "examples" / "clean-2021.md").read_text(encoding="utf-8")
HEAD = "# 某局2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(body: str, styles: str | None = None) -> bytes:
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(ROOT / "examples" / "clean-2021.docx") as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
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
    return "r.html", ("<html><body><h1>某局2024年政府信息公开工作年度报告</h1>" + f"<table>{row * n}</table>" * 3
                      + "</body></html>").encode()


def docx_grid(n):
    span = '<w:tc><w:tcPr><w:gridSpan w:val="200"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    rows = ("<w:tr>" + span * 20 + "</w:tr>") * 20 + "<w:tr/>" * n
    return "r.docx", _docx('<w:p><w:r><w:t>某局2024年政府信息公开工作年度报告</w:t></w:r></w:p>' + f"<w:tbl>{rows}</w:tbl>")


def docx_styles(n):
    styles = f'<?xml version="1.0"?><w:styles xmlns:w="{W}">' + '<w:style w:styleId="a"><w:basedOn w:val="b"/></w:style>' * n + "</w:styles>"
    body = "".join(f'<w:p><w:pPr><w:pStyle w:val="s{i}"/></w:pPr><w:r><w:t>段落{i}</w:t></w:r></w:p>' for i in range(200))
    return "r.docx", _docx(body, styles)


def long_report(n):
    return "r.md", (CLEAN + "\n" + ("全年共收到政府信息公开申请45件。" * 40 + "\n\n") * n).encode()


CLASSES = {"digits in prose": (digits, [10_000, 40_000, 160_000]),
           "invisible + pinyin debris": (invisible, [20_000, 80_000, 320_000]),
           "disable-next directives": (directives, [2_000, 8_000, 32_000]),
           "html colspan/rowspan grid": (html_spans, [100, 400, 1_600]),
           "docx sparse huge grid": (docx_grid, [5_000, 20_000, 80_000]),
           "docx styles.xml": (docx_styles, [5_000, 20_000, 80_000]),
           "long report (baseline)": (long_report, [10, 40, 160])}


def run(name: str, data: bytes) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "checker", "check", str(path), "--format", "json"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"{'class':<28}{'size':>10}{'input KB':>10}{'seconds':>9}{'peak MB':>9}{'exit':>6}")
    for label, (make, sizes) in CLASSES.items():
        for size in sizes[:2] if quick else sizes:
            name, data = make(size)
            seconds, peak, code = run(name, data)
            print(f"{label:<28}{size:>10}{len(data) // 1024:>10}{seconds:>9.2f}{peak:>9.0f}{code:>6}")


if __name__ == "__main__":
    main()
