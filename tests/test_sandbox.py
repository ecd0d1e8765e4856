"""Readers of untrusted formats in a box (issue 31 §1, §2): a PDF whose drawing explodes, a stream
that inflates to gigabytes, a page metres wide, hundreds of blank scanned sheets, an OpenDocument
file LibreOffice chews on for minutes — each is a finding naming the limit within seconds, never a
hang, an out-of-memory kill or a traceback; what the reader started dies with it; a document
never makes LibreOffice touch the network."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

import hostile_files as hostile
from checker.ingest import office
from checker.ingest.document import IngestError
from checker.ingest.sandbox import Limits, run_bounded
from checker.pipeline import check_bytes

needs_soffice = pytest.mark.skipif(
    office.soffice() is None, reason="Debian's libreoffice-writer-nogui converts office files"
)


def _tesseract() -> bool:
    from checker.ingest.pdf_ocr import tesseract

    return tesseract() is not None


needs_tesseract = pytest.mark.skipif(
    not _tesseract(), reason="Debian's tesseract-ocr and tesseract-ocr-chi-sim read scans"
)


def _only(result):
    (finding,) = result.findings
    return finding


@pytest.mark.parametrize(
    "name, data",
    [("xobjects", hostile.xobject_bomb(7)), ("inflates", hostile.flate_bomb(1536))],
    ids=["form-xobjects-drawing-each-other", "flate-stream-of-1.5-GB"],
)
def test_a_pdf_that_would_exhaust_memory_is_a_finding_naming_the_limit(name, data):
    started = time.monotonic()
    finding = _only(check_bytes(data, f"{name}.pdf"))
    assert time.monotonic() - started < 30
    assert finding.code == "E008" and finding.severity == "error" and "1024 MB" in finding.message


@needs_tesseract
def test_a_page_too_large_to_render_is_not_rendered():
    started = time.monotonic()
    finding = _only(check_bytes(hostile.wide_page(4800), "wide.pdf"))
    assert time.monotonic() - started < 10
    assert finding.code == "E008" and "4800×4800 点" in finding.message and "百万像素的限制" in finding.message


@needs_tesseract
def test_hundreds_of_blank_scanned_sheets_are_not_read_one_by_one():
    started = time.monotonic()
    finding = _only(check_bytes(hostile.blank_scan(300), "blank.pdf"))
    assert time.monotonic() - started < 60
    assert finding.code == "E003" and "300 页图像中也未识别出文字" in finding.message


def _sleeper(path: str, extend=None):
    """Starts a grandchild that outlives it unless its group is killed, then hangs."""
    child = subprocess.Popen(["sleep", "60"])
    Path(path).write_text(str(child.pid))
    time.sleep(60)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_reader_past_its_time_is_killed_with_all_it_started(tmp_path):
    marker = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(IngestError) as raised:
        run_bounded("测试文件", _sleeper, str(marker), limit=Limits(seconds=1.5))
    assert time.monotonic() - started < 5
    assert raised.value.kind == "limit" and "1.5 秒" in str(raised.value)
    grandchild = int(marker.read_text())
    deadline = time.monotonic() + 3
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def _hog(extend=None):
    return bytearray(3 * 1024**3)


def test_a_reader_past_its_memory_is_stopped_and_the_checker_lives_on():
    with pytest.raises(IngestError) as raised:
        run_bounded("测试文件", _hog, limit=Limits(memory_mb=256))
    assert raised.value.kind == "limit" and "256 MB" in str(raised.value)


def _fails(extend=None):
    raise ValueError("no such object")


def test_a_reader_that_fails_is_an_unreadable_file_not_a_traceback():
    with pytest.raises(IngestError) as raised:
        run_bounded("PDF", _fails)
    assert raised.value.kind == "unreadable" and "ValueError" in str(raised.value)


def _office_leftovers() -> tuple[set, set]:
    processes = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if b"xxgk-office-" in cmdline.read():
                        processes.add(int(entry))
            except OSError:
                continue
    folders = {p.name for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("xxgk-office-*")}
    return processes, folders


@needs_soffice
def test_a_conversion_past_its_time_leaves_no_libreoffice_and_no_profile(monkeypatch):
    """400,000 empty paragraphs in 50 KB: LibreOffice would take minutes. The conversion is
    stopped at its limit, soffice.bin with it, and its private profile is gone afterwards."""
    before = _office_leftovers()
    monkeypatch.setenv("XXGK_LIMIT_OFFICE_SECONDS", "4")
    started = time.monotonic()
    finding = _only(check_bytes(hostile.odt_paragraphs(400_000), "long.odt"))
    assert time.monotonic() - started < 20
    assert finding.code == "E008" and "转换超时（4 秒）" in finding.message
    time.sleep(0.5)
    processes, folders = _office_leftovers()
    assert not processes - before[0] and not folders - before[1]


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def linked_image_server():
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/pixel.png", _Recorder.requests
    server.shutdown()


@needs_soffice
@pytest.mark.parametrize("isolation", ["profile-and-namespace", "profile-alone", "control-no-profile"])
def test_a_linked_image_is_never_fetched_while_converting(linked_image_server, monkeypatch, isolation):
    """An .odt linking an image on a web server (here loopback): converting it must not request
    the URL. The control converts with a bare profile and no namespace, and the request arrives —
    so the test can tell."""
    url, requests = linked_image_server
    if isolation != "profile-and-namespace":
        monkeypatch.setattr(office, "_offline", lambda: [])
    if isolation == "control-no-profile":
        monkeypatch.setattr(
            office,
            "_PROFILE",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry"></oor:items>',
        )
    result = check_bytes(hostile.odt_linking(url), "linked.odt")
    assert "E001" not in {f.code for f in result.findings}
    assert bool(requests) == (isolation == "control-no-profile"), requests


@pytest.mark.skipif(
    not Path(shutil.which("chromium") or "/usr/bin/chromium").exists(), reason="Debian's chromium prints the page"
)
def test_a_scanned_page_with_one_short_line_is_not_taken_for_blank(tmp_path):
    """The blank test looks at a thumbnail: one line of 9 pt text must still mark it."""
    import pypdfium2

    from checker.ingest import pdf_ocr

    page = tmp_path / "line.html"
    page.write_text(
        "<html><body><p style='font-size:9pt'>本年度未收到政府信息公开申请。</p></body></html>", encoding="utf-8"
    )
    printed = tmp_path / "line.pdf"
    subprocess.run(
        [
            shutil.which("chromium") or "/usr/bin/chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    source = pypdfium2.PdfDocument(str(printed))
    image = source[0].render(scale=200 / 72, grayscale=True).to_pil()  # as a scanner gives it
    scan = tmp_path / "scan.pdf"
    image.save(scan, resolution=200)
    assert not pdf_ocr._blank(pdf_ocr.render(pypdfium2.PdfDocument(str(scan)), 0, pdf_ocr.BLANK_DPI))
    empty = pypdfium2.PdfDocument(hostile.blank_scan(1))
    assert pdf_ocr._blank(pdf_ocr.render(empty, 0, pdf_ocr.BLANK_DPI))


def test_a_file_that_keeps_the_checker_busy_ends_in_a_finding(monkeypatch):
    """Issue 36: every check has a per-file limit on the checker's own CPU time; a file that passes
    it (here: a stage that never finishes) is E008 naming the limit, and the next file is checked."""
    from checker import pipeline
    from conftest import EXAMPLES, codes

    monkeypatch.setenv("XXGK_LIMIT_CHECK_SECONDS", "0.5")
    real = pipeline.analyse

    def spins(doc, *args, **kwargs):
        if "spin" in doc.path:
            while True:
                pass
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "analyse", spins)
    data = (EXAMPLES / "clean-2021.md").read_bytes()
    stuck = pipeline.check_one(data, "spin.md")
    assert codes(stuck) == ["E008"] and "0.5 秒 CPU 时间" in stuck.findings[0].message
    assert "E008" not in codes(pipeline.check_one(data, "next.md"))
