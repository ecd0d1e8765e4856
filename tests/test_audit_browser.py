"""The audit report in a real browser: Debian's chromium, headless, driven by Playwright (no
downloaded browser build). No console errors, no network requests, filtering and sorting work,
and a report page highlights the offending cell. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("XXGK_REQUIRE_BROWSER"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@pytest.fixture(scope="module")
def audit_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    reports = folder / "reports"
    reports.mkdir()
    for name in ("defective-2021.md", "clean-2021.md", "clean-2019.md", "clean-2008.docx"):
        shutil.copy(ROOT / "examples" / name, reports / name)
    (reports / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    out = folder / "audit"
    # examples of four years: all of them audited (--year all), as a backlog is
    run = subprocess.run(
        [sys.executable, "-m", "checker", "audit", reports, "-o", out, "-q", "--year", "all"], capture_output=True
    )
    assert run.returncode == 0, run.stderr.decode()
    return out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems, requests


def test_index_filters_and_sorts_without_errors_or_network(browser, audit_dir):
    page, problems, requests = _open(browser, audit_dir / "index.html")
    rows = page.locator("#reports tbody tr")
    assert rows.count() == 5
    page.fill("#filter-text", "青岚")
    visible = [r for r in rows.all() if r.is_visible()]
    assert len(visible) == 1 and "青岚" in visible[0].inner_text()
    page.fill("#filter-text", "")
    page.select_option("#filter-time", "late")
    assert [r.inner_text().split()[0] for r in rows.all() if r.is_visible()] == ["云溪县人民政府"]
    page.select_option("#filter-time", "")
    scores = [float(r.locator("td").nth(11).inner_text()) for r in rows.all()]
    assert scores == sorted(scores)  # worst first, as the page opens
    assert "年度报告逾期公布" in rows.all()[0].locator("td").nth(12).inner_text() or scores[0] < 100  # causes in words
    header = page.locator("#reports th", has_text="得分")
    header.click()
    scores = [float(r.locator("td").nth(11).inner_text()) for r in rows.all()]
    assert scores == sorted(scores, reverse=True)
    header.click()
    scores = [float(r.locator("td").nth(11).inner_text()) for r in rows.all()]
    assert scores == sorted(scores)
    late = [r for r in rows.all() if "逾期" in r.locator("td").nth(4).inner_text()]
    assert late and all("天" in r.locator("td").nth(4).inner_text() for r in late)
    assert not [r for r in rows.all() if r.locator("td").nth(4).inner_text().startswith("-")]  # no negative days
    zero = page.locator("#reports td.zero").first
    assert zero.inner_text() == "0" and "sev-error" not in (zero.get_attribute("class") or "")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-index.png"), full_page=True)
    assert problems == []
    assert [u for u in requests if not u.startswith("file://")] == []


def test_report_page_highlights_the_cell(browser, audit_dir):
    data = json.loads((audit_dir / "findings.json").read_text(encoding="utf-8"))
    doc = next(d for d in data["documents"] if d["path"].endswith("defective-2021.md"))
    page, problems, requests = _open(browser, audit_dir / doc["page"])
    hit = page.locator("td.hit").first
    assert hit.is_visible() and hit.inner_text().strip().isdigit()
    background = hit.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("mark").count() >= 1
    fault = page.locator("table.form td.fault")  # the figure at fault in the official table
    assert fault.count() == 1 and fault.first.is_visible()
    assert (
        fault.first.evaluate("el => getComputedStyle(el).outlineStyle + getComputedStyle(el).borderStyle") != "nonenone"
    )
    assert fault.first.get_attribute("title").startswith("A302 ")  # its relation, on hover
    page.screenshot(path=str(ARTIFACTS / "audit-report.png"), full_page=True)
    assert problems == [] and [u for u in requests if not u.startswith("file://")] == []


def test_a_large_audit_pages_its_reports_and_groups_agencies_under_the_roster_parents(browser, tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    import batch as make_batch

    manifest = make_batch.make(tmp_path / "reports", agencies=25, formats=("md",))
    agencies = sorted({e["agency"] for e in manifest if e["agency"]})
    department = next(a for a in agencies if not a.endswith("人民政府"))
    government = department[: department.index("县") + 1] + "人民政府"
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "agency,kind,parent\n"
        + "".join(
            f"{a},{'government' if a.endswith('人民政府') and '镇' not in a else 'township' if '镇' in a else 'department'},"
            f"{government if a == department else ''}\n"
            for a in agencies
        )
        + f"{government},government,\n"
        + f"某县从未发布局,department,{government}\n",
        encoding="utf-8",
    )
    out = tmp_path / "audit"
    run = subprocess.run(
        [sys.executable, "-m", "checker", "audit", tmp_path / "reports", "-o", out, "-q", "--roster", roster]
        + ["--year", "all"],
        capture_output=True,
    )
    assert run.returncode == 0, run.stderr.decode()
    page, problems, requests = _open(browser, out / "index.html")
    rows = page.locator("#reports tbody tr")
    total = len(json.loads((out / "findings.json").read_text(encoding="utf-8"))["documents"])
    assert total > 100 and rows.count() == 100
    pages = -(-total // 100)
    assert f"第 1 / {pages} 页" in page.locator("#reports-pages").inner_text()
    scores = [r.locator("td").nth(11).inner_text() for r in rows.all()]
    page.locator("#reports-pages button", has_text="下一页").click()
    assert f"第 2 / {pages} 页" in page.locator("#reports-pages").inner_text()
    assert [r.locator("td").nth(11).inner_text() for r in rows.all()] != scores
    page.select_option("#filter-time", "late")  # a filter starts again from its first page
    assert "第 1 /" in page.locator("#reports-pages").inner_text() or not page.locator("#reports-pages").is_visible()
    assert all("逾期" in r.locator("td").nth(4).inner_text() for r in rows.all())
    # agencies: the department sits right under its government, and the never-published one is counted
    names = [r.locator("td").first.inner_text() for r in page.locator("#agencies tbody tr").all()]
    assert names.index(department) > names.index(government)
    never = page.locator("#agencies tbody tr", has_text="某县从未发布局")
    assert never.locator("td").nth(1).inner_text() == government and never.locator("td").nth(5).inner_text() != "0"
    assert page.locator("#agencies svg.spark").count() > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-index-large.png"), full_page=False)
    assert problems == [] and [u for u in requests if not u.startswith("file://")] == []


def test_a_supervisors_audit_in_the_browser_and_its_notice(browser, tmp_path):
    """Issue 34, as the 公开办 sees it: the tiles count what they say (4 published of the 5 the
    roster owes this year, 1 not published, 0 unreadable), the agency that did not publish opens
    the worst-first table and the chart of the most points lost, the short-name report is the
    roster's agency and the misspelt one is shown as an approximate match, last year's report is
    listed apart; notice.docx, printed by LibreOffice, ranks the year with the non-publisher last."""
    import pypdfium2

    sys.path.insert(0, str(ROOT / "tests"))
    from batch import supervisor_batch
    from renderers import available, libreoffice_pdf

    roster = supervisor_batch(tmp_path / "reports")
    out = tmp_path / "audit"
    run = subprocess.run(
        [sys.executable, "-m", "checker", "audit", tmp_path / "reports", "-o", out, "-q", "--roster", roster],
        capture_output=True,
    )
    assert run.returncode == 0, run.stderr.decode()
    page, problems, requests = _open(browser, out / "index.html")
    cards = {c.locator("span").inner_text(): c.locator("b").inner_text() for c in page.locator(".card").all()}
    assert cards["已发布 / 名册机关"] == "4/5" and cards["未发布（名册中本年度无报告）"] == "1"
    assert cards["无法读取（文件）"] == "0"
    first = page.locator("#reports tbody tr").first
    assert first.inner_text().startswith("云溪县教育局") and "未发布" in first.inner_text()
    chart = page.locator("figure", has_text="扣分最多的机关")
    assert "云溪县教育局" in chart.inner_text()
    assert "2024年度" in page.locator("header").inner_text()
    matched = page.locator("section", has_text="按名称近似匹配")
    assert "沐阳县人民政府" in matched.inner_text() and "沐→沭" in matched.inner_text()
    assert "yunxi-2023.md" in page.locator("section", has_text="其他年度的报告").inner_text()
    agencies = page.locator("#agencies tbody tr").all_inner_texts()
    assert sum("洪泽区" in row for row in agencies) == 1  # the short and the full name: one agency
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-supervisor.png"), full_page=True)
    assert problems == [] and [u for u in requests if not u.startswith("file://")] == []
    if not available("libreoffice-pdf"):
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    pdf = pypdfium2.PdfDocument(str(libreoffice_pdf(out / "notice.docx", tmp_path / "pdf")))
    text = "".join(p.get_textpage().get_text_range() for p in pdf).replace("\r", "").replace("\n", "")
    assert "检查情况的通报" in text and "未发布年度报告的机关" in text
    table = text.split("检查得分排名", 1)[1]
    ranking = [table.find(name) for name in ("洪泽区人民政府", "岚山县人民政府", "云溪县教育局")]
    assert -1 not in ranking and ranking == sorted(ranking)  # the best first, who did not publish last
    pdf[0].render(scale=1).to_pil().save(ARTIFACTS / "notice.png")
