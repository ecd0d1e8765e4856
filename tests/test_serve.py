"""`xxgk serve`: the API is the CLI's over HTTP, the server is safe by default, and the page works
in a real browser (Debian's chromium through Playwright): a docx with defects shows its findings
with the offending cell marked; a corrupt file shows a clear message."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
from starlette.testclient import TestClient  # noqa: E402

from checker.cli import app  # noqa: E402
from checker.pipeline import check_path  # noqa: E402
from checker.serve.app import create_app  # noqa: E402
from conftest import EXAMPLES  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(), base_url="http://127.0.0.1:8000")


def _upload(client, path: Path, name: str | None = None, **fields):
    return client.post("/api/check", files={"file": (name or path.name, path.read_bytes())}, data=fields)


@pytest.mark.parametrize(
    "path", sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".md", ".docx")), ids=lambda p: p.name
)
def test_api_check_is_exactly_the_cli_json(client, path, monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    cli = CliRunner().invoke(app, ["check", path.name, "--format", "json"])
    response = _upload(client, path)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.text == cli.stdout


def test_api_check_takes_year_and_agency_kind(client):
    response = _upload(client, EXAMPLES / "clean-2021.md", year="2022", agency_kind="department")
    document = response.json()["documents"][0]
    assert (document["year"], document["agency_kind"]) == (2022, "department")


def test_api_rules_is_the_cli_listing(client):
    cli = CliRunner().invoke(app, ["rules", "--format", "json"])
    assert client.get("/api/rules").text == cli.stdout


def test_health_and_template(client):
    assert client.get("/api/health").json()["status"] == "ok"
    template = client.get("/api/template", params={"year": "2024", "agency_kind": "government", "format": "docx"})
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert "attachment" in template.headers["content-disposition"]
    assert client.get("/api/template", params={"year": "1900"}).status_code == 400


@pytest.mark.parametrize(
    "request_kind", ["no body", "no file field", "bad year", "bad kind", "not multipart", "broken multipart"]
)
def test_a_malformed_request_is_a_4xx_with_a_message(client, request_kind):
    if request_kind == "no body":
        response = client.post("/api/check")
    elif request_kind == "no file field":
        response = client.post("/api/check", files={"other": ("a.md", b"x")})
    elif request_kind == "bad year":
        response = client.post("/api/check", files={"file": ("a.md", "一".encode())}, data={"year": "1"})
    elif request_kind == "bad kind":
        response = client.post("/api/check", files={"file": ("a.md", "一".encode())}, data={"agency_kind": "x"})
    elif request_kind == "not multipart":
        response = client.post("/api/check", content=b"{}", headers={"content-type": "application/json"})
    else:
        response = client.post(
            "/api/check", content=b"--zz\r\ngarbage", headers={"content-type": "multipart/form-data; boundary=zz"}
        )
    assert 400 <= response.status_code < 500
    assert response.json()["error"] and "Traceback" not in response.text


def test_a_corrupt_upload_is_a_finding_not_an_error(client):
    response = client.post("/api/check", files={"file": ("r.docx", b"PK\x03\x04 broken")})
    assert response.status_code == 200
    assert [f["code"] for f in response.json()["documents"][0]["findings"]] == ["E001"]


def test_the_host_header_must_name_the_server():
    refused = TestClient(create_app("127.0.0.1"), base_url="http://attacker.example").get("/api/health")
    assert refused.status_code == 400 and "主机名不是本服务的地址" in refused.json()["error"]
    rebound = TestClient(create_app("127.0.0.1"), base_url="http://attacker.example")
    assert rebound.get("/api/health").status_code == 400
    assert TestClient(create_app("127.0.0.1"), base_url="http://localhost:8000").get("/api/health").status_code == 200


def test_bodies_are_capped_while_read():
    small = TestClient(create_app(max_body=10_000), base_url="http://127.0.0.1")
    response = small.post("/api/check", files={"file": ("r.md", b"x" * 50_000)})
    assert response.status_code == 413 and "过大" in response.json()["error"]


def test_no_client_path_touches_the_disk(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    response = client.post("/api/check", files={"file": ("../../evil.md", "一、总体情况".encode())})
    assert response.json()["documents"][0]["path"] == "evil.md"
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent.parent / "evil.md").exists()


def test_pages_have_a_csp(client):
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy and "http" not in policy
    assert "<script src" not in page.text  # nothing from a CDN


def test_serve_without_the_extra_says_what_to_install(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_uvicorn(name, *args, **kwargs):
        if name == "uvicorn":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    run = CliRunner().invoke(app, ["serve", "--no-browser"])
    assert run.exit_code == 2 and "xxgk-checker[serve]" in run.output


# the page in a real browser -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(create_app("127.0.0.1"), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    running.should_exit = True
    thread.join(10)


browser_needed = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("XXGK_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        problems, outside = [], []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on(
            "request",
            lambda r: outside.append(r.url) if not r.url.startswith((server, "blob:", "about:", "data:")) else None,
        )
        page.goto(server)
        yield page, problems, outside
        browser.close()


@browser_needed
def test_a_clerk_uploads_a_docx_with_defects_and_sees_them(page, tmp_path):
    page, problems, outside = page
    page.set_input_files("#file", str(EXAMPLES / "defective-2021.docx"))
    from playwright.sync_api import expect  # (wait_for_function evaluates a string: the page's CSP forbids it)

    expect(page.locator("#summary")).to_contain_text("错误", timeout=30_000)
    assert "错误 3 项" in page.text_content("#summary") and "云溪县人民政府" in page.text_content("#summary")
    report = page.frame_locator("#report")
    assert "A302" in report.locator("body").inner_text()
    assert report.locator("td.hit").count() >= 1  # the offending cell is marked
    assert report.locator("h3.group").first.inner_text().startswith(("全文", "第"))
    assert page.get_attribute("#download-template", "href").startswith("/api/template?format=docx&year=2024")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-defective.png"), full_page=True)
    assert problems == [] and outside == []


@browser_needed
def test_a_corrupt_file_gives_a_clear_message(page, tmp_path):
    page, problems, _ = page
    broken = tmp_path / "损坏的报告.docx"
    broken.write_bytes(b"PK\x03\x04 not a real package")
    page.set_input_files("#file", str(broken))
    from playwright.sync_api import expect

    expect(page.locator("#status")).to_contain_text("无法检查", timeout=30_000)
    status = page.text_content("#status")
    assert "无法检查" in status and "Word" in status and problems == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:8000.evil.example"},
    ],
)
def test_a_request_from_another_site_is_refused(client, headers):
    """A page on another site could make the clerk's browser post files to the local server."""
    response = client.post(
        "/api/check", files={"file": ("r.md", (EXAMPLES / "clean-2021.md").read_bytes())}, headers=headers
    )
    assert response.status_code == 403 and "其他网站" in response.json()["error"]


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://127.0.0.1:8000"}, {"Sec-Fetch-Site": "same-origin"}])
def test_the_pages_own_requests_are_accepted(client, headers):
    response = client.post(
        "/api/check", files={"file": ("r.md", (EXAMPLES / "clean-2021.md").read_bytes())}, headers=headers
    )
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["²⁰²⁴", "２０２４", "2024\u0663"])
def test_a_year_in_other_digits_is_a_400_not_a_500(client, year):
    response = _upload(client, EXAMPLES / "clean-2021.md", year=year)
    assert response.status_code == 400 and "year" in response.json()["error"]
    assert client.get("/api/template", params={"year": year}).status_code == 400


def test_a_small_check_is_answered_while_a_slow_upload_is_being_read(monkeypatch):
    """One upload whose reading takes its whole time limit (here a PDF reader held for 6 s in its
    sandbox) does not hold the clerk who uploads a draft meanwhile."""
    import threading
    import time

    from checker.ingest import pdf

    def held(data, extend=None):
        time.sleep(6)
        raise pdf.IngestError("held")

    monkeypatch.setattr(pdf, "read_pdf", held)
    with TestClient(create_app(), base_url="http://127.0.0.1:8000") as client:  # one event loop, as a server has
        slow = threading.Thread(target=lambda: client.post("/api/check", files={"file": ("scan.pdf", b"%PDF-1.7\n")}))
        slow.start()
        time.sleep(0.5)
        started = time.monotonic()
        response = _upload(client, EXAMPLES / "clean-2021.md")
        answered = time.monotonic() - started
        slow.join()
    assert response.status_code == 200 and answered < 2


def test_past_the_queues_bound_a_check_is_told_to_come_back(monkeypatch):
    import threading
    import time

    from checker.ingest import pdf
    from checker.serve import app as served

    def held(data, extend=None):
        time.sleep(3)
        raise pdf.IngestError("held")

    monkeypatch.setattr(pdf, "read_pdf", held)
    monkeypatch.setattr(served, "WORKERS", 1)
    monkeypatch.setattr(served, "QUEUE", 0)
    monkeypatch.setattr(served, "_LIMITERS", {})
    with TestClient(create_app(), base_url="http://127.0.0.1:8000") as client:
        slow = threading.Thread(target=lambda: client.post("/api/check", files={"file": ("scan.pdf", b"%PDF-1.7\n")}))
        slow.start()
        time.sleep(0.5)
        response = _upload(client, EXAMPLES / "clean-2021.md")
        slow.join()
        assert response.status_code == 503 and "服务器正忙" in response.json()["error"]
        assert _upload(client, EXAMPLES / "clean-2021.md").status_code == 200  # free again


def test_uploads_held_past_the_byte_cap_are_told_to_come_back(monkeypatch):
    """Thirty uploads of 60 MB would hold 1.8 GB: what waits is counted against a cap."""
    from checker.serve import app as served

    monkeypatch.setattr(served, "QUEUED_BYTES", 1000)
    with TestClient(create_app(), base_url="http://127.0.0.1:8000") as client:
        refused = _upload(client, EXAMPLES / "clean-2021.md")
        assert refused.status_code == 503 and "服务器正忙" in refused.json()["error"]
        monkeypatch.setattr(served, "QUEUED_BYTES", 10**9)
        assert _upload(client, EXAMPLES / "clean-2021.md").status_code == 200
        assert served._queued[0] == 0  # what was counted is given back


# the clerk's page, second edition (issue 35) ------------------------------------------------


@browser_needed
def test_the_first_finding_is_in_view_without_scrolling_at_1280_by_800(server, page, tmp_path):
    """After an upload, at 1280×800: the verdict and the first finding stand in the viewport,
    not below the tables or inside a short frame; a finding on a cell links to it in the table."""
    from playwright.sync_api import expect

    browser = page[0].context.browser  # one browser per module: Playwright's sync API runs one at a time
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(server)
        page.set_input_files("#file", str(EXAMPLES / "defective-2021.docx"))
        expect(page.locator("#summary")).to_contain_text("错误", timeout=30_000)
        report = page.frame_locator("#report")
        verdict = report.locator("p.verdict")
        expect(verdict).to_contain_text("发布前须改正")
        first = report.locator("div.finding").first
        box = page.locator("#report").bounding_box()
        inner = first.bounding_box()
        assert inner is not None and box is not None
        assert inner["y"] + 20 < 800, inner  # in view as the page opens, no scrolling
        assert box["height"] > 1000  # the frame is as tall as its content: the page scrolls as one
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "serve-first-view.png"))
        link = report.locator('a[href^="#cell-"]').first
        target = link.get_attribute("href")[1:]
        link.click()
        cell = report.locator(f"td#{target}")
        expect(cell).to_have_class(re.compile(r"\bshown\b"))
        page.screenshot(path=str(ARTIFACTS / "serve-1280x800.png"))
    finally:
        page.close()


@browser_needed
def test_the_corrected_copy_downloads_and_checks_clean_of_what_it_fixed(page, tmp_path):
    """A report with traditional characters and page residue: the page offers the corrected copy,
    lists what it changes, and the download checks clean of those codes; the original is untouched."""
    page, problems, _ = page
    source = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    damaged = "当前位置：首页 > 政务公开 > 年报\n" + source.replace(
        "扎实推进政府信息公开工作", "紮實推進政府信息公開工作"
    )
    original = tmp_path / "报告.md"
    original.write_text(damaged, encoding="utf-8")
    from playwright.sync_api import expect

    page.set_input_files("#file", str(original))
    expect(page.locator("#download-fixed")).to_be_visible(timeout=30_000)
    listed = page.text_content("#fixes")
    assert "可自动修正" in listed and "Q701" in listed
    with page.expect_download() as download:
        page.click("#download-fixed")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "报告.fixed.md" and original.read_text(encoding="utf-8") == damaged
    from conftest import codes as found_codes

    fixed = found_codes(check_path(saved))
    assert "Q701" in found_codes(check_path(original)) and "Q701" not in fixed and "Q703" not in fixed
    assert problems == []


@browser_needed
@pytest.mark.skipif(
    not shutil.which("soffice"), reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
)
def test_a_doc_and_an_odt_upload_are_checked(page, tmp_path):
    """Word 97-2003 and OpenDocument, converted on the server by LibreOffice (each made here by
    LibreOffice from the example's .docx)."""
    from renderers import libreoffice_convert

    page, problems, _ = page
    from playwright.sync_api import expect

    for kind in ("doc", "odt"):
        libreoffice_convert(EXAMPLES / "defective-2021.docx", kind, tmp_path)
        page.set_input_files("#file", str(tmp_path / f"defective-2021.{kind}"))
        expect(page.locator("#status")).to_contain_text(f"已检查「defective-2021.{kind}」", timeout=180_000)
        assert "云溪县人民政府" in page.text_content("#summary")
        assert "A302" in page.frame_locator("#report").locator("body").inner_text()
    assert problems == []


def test_health_tells_the_load(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["load"]["workers"] >= 1 and body["load"]["busy"] == 0


def test_a_token_and_allowed_networks_guard_the_service():
    """A shared token: refused without it (401, in Chinese), accepted by the address with
    ?token=…, which leaves a cookie the page's own requests carry. Networks: a client outside
    --allow is refused (403)."""
    import ipaddress

    with TestClient(create_app(token="s3cret-token"), base_url="http://127.0.0.1:8000") as guarded:
        refused = guarded.get("/api/health")
        assert refused.status_code == 401 and "访问口令" in refused.json()["error"]
        opened = guarded.get("/?token=s3cret-token")
        assert opened.status_code == 200 and "xxgk_token" in opened.headers.get("set-cookie", "")
        assert guarded.get("/api/health").status_code == 200  # the cookie
    lan = (ipaddress.ip_network("10.0.0.0/8"),)
    with TestClient(create_app(allow=lan), base_url="http://127.0.0.1:8000") as outside:
        refused = outside.get("/api/health")  # the test client is 'testclient', in no network
        assert refused.status_code == 403 and "网络" in refused.json()["error"]


def test_the_access_log_has_no_report_content(client, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="xxgk.access")
    _upload(client, EXAMPLES / "clean-2021.md")
    client.get("/api/template?format=md&year=2024&agency_kind=department")
    lines = [r.getMessage() for r in caplog.records if r.name == "xxgk.access"]
    assert any(" POST /api/check 200 " in line for line in lines)
    joined = "\n".join(lines)
    assert "clean-2021" not in joined and "云溪县" not in joined and "year=" not in joined


def test_a_check_is_called_off_when_its_client_goes_away(monkeypatch):
    """The sandboxed reader of a slow upload is killed when the work is called off: the worker is
    free at once, not after the reader's own time limit."""
    import threading

    from checker.ingest import sandbox

    def slow(data, extend=None):
        time.sleep(30)

    gone = threading.Event()
    threading.Timer(0.5, gone.set).start()
    started = time.monotonic()
    with pytest.raises(sandbox.Cancelled), sandbox.cancellable(gone):
        sandbox.run_bounded("PDF", slow, b"")
    assert time.monotonic() - started < 5


@browser_needed
@pytest.mark.skipif(not shutil.which("tesseract"), reason="Debian's tesseract-ocr reads scanned pages")
def test_a_long_ocr_check_shows_its_time_and_can_be_cancelled(server, page, tmp_path):
    """A scanned report (every page an image: OCR, tens of seconds): the page counts the seconds
    and offers 取消; cancelling ends the work on the server too — its OCR is killed and the worker
    is free again at once, not after the scan is read."""
    import json as json_module
    import urllib.request

    from batch import md_to_html
    from renderers import available, chromium_pdf
    from test_pdf import _scanned

    if not available("chromium-pdf"):
        pytest.skip("Debian's chromium prints the report to scan")
    page, problems, _ = page
    printed = chromium_pdf(md_to_html((EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")), tmp_path / "p.pdf")
    scan = _scanned(printed, tmp_path / "扫描件.pdf")
    from playwright.sync_api import expect

    page.set_input_files("#file", str(scan))
    expect(page.locator("#status")).to_contain_text("已用 3 秒", timeout=20_000)
    assert page.is_visible("#cancel")

    def busy() -> int:
        with urllib.request.urlopen(server + "api/health", timeout=5) as response:
            return json_module.loads(response.read())["load"]["busy"]

    assert busy() == 1
    page.click("#cancel")
    expect(page.locator("#status")).to_contain_text("已取消检查")
    deadline = time.monotonic() + 10
    while busy() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert busy() == 0  # the server let go of the scan, its OCR killed
    assert not page.is_visible("#cancel") and problems == []
