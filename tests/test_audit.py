"""`xxgk audit` on a generated batch: every injected defect found, nothing else serious, one
corrupt file reported while the rest complete; carry-over, 雷同, history, score, escaping."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from conftest import run_cli

import pytest

ROOT = Path(__file__).resolve().parent.parent

import batch as make_batch  # noqa: E402  (tests/batch.py: the batch generator the benchmarks use too)

SERIOUS = ("error", "warning")


def xxgk(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "checker", *map(str, args)], capture_output=True, cwd=cwd, env={**os.environ, "CI": "1"}
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    manifest = make_batch.make(folder / "reports", agencies=20, seed=7)
    out = folder / "audit"
    run = xxgk(
        "audit", folder / "reports", "-o", out, "-j", "2", "--year", "all"
    )  # every year: the defects are spread over five
    assert run.returncode == 0, run.stderr.decode()
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return manifest, out, {d["path"]: d for d in data["documents"]}


def test_every_injected_defect_is_found_and_nothing_else(batch):
    manifest, _, docs = batch
    assert len(docs) == len(manifest)  # the corrupt file did not stop the batch
    kinds = {k for e in manifest for k in e["defects"]}
    assert {"late", "cell", "section", "carry", "copied", "corrupt"} <= kinds
    for entry in manifest:
        doc = docs[entry["path"]]
        found = {f["code"] for f in doc["findings"]}
        serious = {f["code"] for f in doc["findings"] if f["severity"] in SERIOUS}
        expected = {c for kind in entry["defects"] for c in make_batch.EXPECTED[kind]}
        assert expected <= found, (entry, found)
        assert serious <= expected, (entry, serious - expected)


def test_outputs_summary_csv_xlsx_and_pages(batch):
    manifest, out, docs = batch
    with open(out / "summary.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(manifest)
    late = next(e for e in manifest if "late" in e["defects"])
    row = next(r for r in rows if r["path"] == late["path"])
    assert row["on_time"] == "否" and int(row["days_late"]) > 0 and row["new"] == "45"
    from openpyxl import load_workbook

    book = load_workbook(out / "summary.xlsx")
    sheet = book["报告"]
    headers = [c.value for c in sheet[1]]
    assert sheet.max_row == len(manifest) + 1 and headers[:2] == ["文件", "机关"] and "得分" in headers
    assert (
        sheet.freeze_panes == "A2"
        and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headers)).column_letter}{len(manifest) + 1}"
    )
    assert sheet[1][0].font.bold and sheet.column_dimensions["A"].width == 34  # the file column is wide
    late_row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == late["path"])
    published = late_row[headers.index("公布日期")].value
    assert (
        hasattr(published, "year") and late_row[headers.index("公布日期")].number_format == "yyyy-mm-dd"
    )  # a real date
    page = late_row[headers.index("报告页")]
    assert page.hyperlink is not None and page.hyperlink.target == docs[late["path"]]["page"]
    assert late_row[headers.index("主要问题")].value  # the main causes in words
    findings = book["问题"]
    assert [c.value for c in findings[1]][:6] == ["机关", "年度", "文件", "代码", "级别", "问题"]
    assert findings.max_row - 1 == sum(len(d["findings"]) for d in docs.values()) and findings.auto_filter.ref
    scores = [r[headers.index("得分")].value for r in sheet.iter_rows(min_row=2)]
    assert scores == sorted(scores, key=lambda v: (v == "" or v is None, v if isinstance(v, (int, float)) else 0))
    assert {r[headers.index("适用格式")].value for r in sheet.iter_rows(min_row=2)} <= {"2021年版格式", "", None}
    wide = book["机关历年"]  # one row per agency, a group of columns per year
    agencies = {e["agency"] for e in manifest if e.get("agency")}
    wide_headers = [c.value for c in wide[1]]
    assert wide.max_row == len(agencies) + 1 and wide_headers[:2] == ["机关", "机关类别"]
    years = sorted({e["year"] for e in manifest if e.get("year")})
    assert [h for h in wide_headers if h.endswith("年得分")] == [f"{y}年得分" for y in years]
    for doc in docs.values():
        assert (out / doc["page"]).is_file()
    clean = next(e for e in manifest if not e["defects"])
    assert docs[clean["path"]]["score"] == 100


def test_copied_sections_are_shown_side_by_side(batch):
    manifest, out, docs = batch
    copies = [e for e in manifest if "copied" in e["defects"]]
    assert copies
    for entry in copies:
        doc = docs[entry["path"]]
        assert doc["similar"] and doc["similar"][0]["passages"], entry
        page = (out / doc["page"]).read_text(encoding="utf-8")
        mine, theirs = doc["similar"][0]["passages"][0]
        assert 'class="side"' in page and mine[:10] in page and theirs[:10] in page


def _chain(folder: Path, place: str = "鹤峰", years=range(2021, 2025), alter: int | None = None) -> list[Path]:
    rng = random.Random(place)  # each agency its own wording
    agency = f"{place}县人民政府"
    paths = []
    for year in years:
        texts = {"一": make_batch.overview(rng, agency, year, True), "五": make_batch.problems(rng, agency, year)}
        text = make_batch.report(agency, f"{place}县", year, rng, texts)
        if year == alter:
            text = make_batch.DEFECTS["carry"](text, year)
        path = folder / f"{place}-{year}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_carry_over_fires_exactly_where_a_year_was_altered(tmp_path):
    (tmp_path / "r").mkdir()
    _chain(tmp_path / "r", alter=2023)
    run = xxgk("audit", tmp_path / "r", "-o", tmp_path / "out", "-j", "1", "--year", "all")
    assert run.returncode == 0
    docs = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["documents"]
    c403 = {d["year"]: sorted(f["anchor"] for f in d["findings"] if f["code"] == "C403") for d in docs}
    assert c403 == {
        2021: [],
        2022: [],
        2023: ["requests/carried_over/commercial", "requests/carried_over/natural_person"],
        2024: [],
    }


def test_history_from_an_earlier_audit(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    paths = _chain(tmp_path / "old", years=range(2021, 2025))
    latest = _chain(tmp_path / "new", years=[2025], alter=2025)[0]
    assert xxgk("audit", tmp_path / "old", "-o", tmp_path / "a1").returncode == 0
    assert len(paths) == 4
    run = xxgk("audit", latest, "-o", tmp_path / "a2", "--history", tmp_path / "a1" / "findings.json")
    assert run.returncode == 0, run.stderr.decode()
    (doc,) = json.loads((tmp_path / "a2" / "findings.json").read_text(encoding="utf-8"))["documents"]
    assert "C403" in {f["code"] for f in doc["findings"]}
    # the same from the earlier reports themselves
    run = xxgk("audit", latest, "-o", tmp_path / "a3", "--history", tmp_path / "old")
    (doc,) = json.loads((tmp_path / "a3" / "findings.json").read_text(encoding="utf-8"))["documents"]
    assert "C403" in {f["code"] for f in doc["findings"]}


def test_history_larger_than_a_users_json_file_may_be_is_read_a_document_at_a_time(tmp_path):
    """A national audit's findings.json passes 32 MB (a user's JSON file's limit) at about
    3,000 reports: it is read a line at a time, as it is written. Here an earlier audit's, padded
    past the limit with more agencies' documents, still gives the carry-over finding."""
    from checker.user_files import MAX_BYTES

    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    _chain(tmp_path / "old", years=range(2021, 2025))
    latest = _chain(tmp_path / "new", years=[2025], alter=2025)[0]
    assert run_cli("audit", tmp_path / "old", "-o", tmp_path / "a1", "-q").returncode == 0
    lines = (tmp_path / "a1" / "findings.json").read_text(encoding="utf-8").split("\n")
    head, documents = lines[0], [line.removesuffix(",") for line in lines[1:-2]]
    padding, copies = json.loads(documents[0]), []
    size = sum(map(len, documents))
    while size <= MAX_BYTES:
        padding["path"] = f"other/{len(copies)}.md"
        padding["facts"]["agency_key"] = padding["agency"] = f"第{len(copies)}号机关"
        copies.append(json.dumps(padding, ensure_ascii=False, separators=(",", ":")))
        size += len(copies[-1].encode("utf-8"))
    big = tmp_path / "big.json"
    big.write_text(head + "\n" + ",\n".join(documents + copies) + "\n]}\n", encoding="utf-8")
    assert big.stat().st_size > MAX_BYTES
    run = run_cli("audit", latest, "-o", tmp_path / "a2", "--history", big, "-q")
    assert run.returncode == 0, run.stderr.decode()
    (doc,) = json.loads((tmp_path / "a2" / "findings.json").read_text(encoding="utf-8"))["documents"]
    assert "C403" in {f["code"] for f in doc["findings"]}


def test_unrelated_reports_are_not_copies(tmp_path):
    (tmp_path / "r").mkdir()
    _chain(tmp_path / "r", "鹤峰", years=[2024])
    _chain(tmp_path / "r", "玉屏", years=[2024])
    xxgk("audit", tmp_path / "r", "-o", tmp_path / "out")
    docs = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["documents"]
    assert not [f for d in docs for f in d["findings"] if f["code"] == "N506"]


def test_a_hostile_report_cannot_inject_markup(tmp_path):
    text = (
        (ROOT / "examples" / "clean-2021.md")
        .read_text(encoding="utf-8")
        .replace(
            "# 云溪县人民政府2024年", '# <script>alert("x")</script><img src=x onerror=alert(1)>云溪县人民政府2024年'
        )
    )
    text = text.replace(
        "本县未收取信息处理费。", '=HYPERLINK("http://evil")本县未收取信息处理费</td></tr><script>alert(2)</script>'
    )
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "evil.md").write_text(text, encoding="utf-8")
    assert xxgk("audit", tmp_path / "r", "-o", tmp_path / "out").returncode == 0
    for page in [tmp_path / "out" / "index.html", *(tmp_path / "out" / "reports").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_score_override_and_min_score_gate(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "d.md").write_bytes((ROOT / "examples" / "defective-2021.md").read_bytes())
    assert xxgk("audit", tmp_path / "r", "-o", tmp_path / "o1", "--min-score", "50").returncode == 0
    below = xxgk("audit", tmp_path / "r", "-o", tmp_path / "o2", "--min-score", "90")
    said = below.stderr.decode()
    assert below.returncode == 1 and "1 份报告低于 90 分" in said and "云溪县人民政府" in said and "d.md" in said
    assert "（" in said.split("d.md）：")[1]  # its main causes, each with its code
    weights = tmp_path / "score.yaml"
    weights.write_text("severity: {error: 0, warning: 0}\nrules: {D601: 0, E001: 100}\n", encoding="utf-8")
    run = xxgk("audit", tmp_path / "r", "-o", tmp_path / "o3", "--score", weights, "--min-score", "99")
    assert run.returncode == 0
    weights.write_text("colour: red\n", encoding="utf-8")
    bad = xxgk("audit", tmp_path / "r", "-o", tmp_path / "o4", "--score", weights)
    assert bad.returncode == 2 and "colour" in bad.stderr.decode() or "只能含" in bad.stderr.decode()


def test_a_text_handed_to_many_departments_is_one_cluster_not_every_pair():
    """Thirty departments publish one text (their names changed) two years running: each report
    gets one 雷同 finding per section for the year's cluster (naming its size and the first
    copy) and one against its own report of the year before — not one per other department."""
    import random

    from batch import PLACES, overview
    from checker.audit import cross
    from checker.audit.similar import signature
    from checker.audit.summary import DocSummary
    from checker.engine.rules import builtin_rules

    rule = next(r for r in builtin_rules() if r.check == "similar-text")
    text = overview(random.Random(3), "{agency}", 2023, False)
    docs = []
    for i in range(30):
        agency = f"{PLACES[i % len(PLACES)]}县{i}号局"
        for year in (2023, 2024):
            doc = DocSummary(
                f"{i}-{year}.md",
                agency,
                agency,
                "department",
                year,
                "format-2021",
                sections={"一": text.replace("{agency}", agency)},
            )
            doc.signatures = {"一": signature(doc.sections["一"])}
            docs.append(doc)
    found = cross.copied(docs, len(docs), rule)
    for index, doc in enumerate(docs):
        messages = [f.message for f in found.get(index, [])]
        same_year = [m for m in messages if "同年度共 30 份" in m]
        last_year = [m for m in messages if "与上年报告相同" in m]
        assert len(same_year) == 1, messages
        assert len(last_year) == (1 if doc.year == 2024 else 0), messages


def test_a_figure_that_jumps_between_years_is_an_info_finding():
    """新收 ten times last year's (both at least 30) is C408 info; 3 → 20 is not compared."""
    from checker.audit import cross
    from checker.audit.summary import DocSummary
    from checker.engine.rules import builtin_rules

    def report(year, new, review):
        return DocSummary(
            f"r{year}.md",
            "云溪县教育局",
            "云溪县教育局",
            "department",
            year,
            "format-2021",
            cells={"requests.new.total": new, "appeals.review.total": review},
        )

    docs = [report(2024, 450, 20), report(2023, 45, 3)]
    cross.run(cross.Batch(docs, 1), builtin_rules())
    jumps = [f for f in docs[0].findings if f.name == "year-over-year-jump"]
    assert len(jumps) == 1 and jumps[0].severity == "info"
    assert "450" in jumps[0].message and "10.0 倍" in jumps[0].message and jumps[0].section == "三"


def test_a_roster_names_who_did_not_publish(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "gov.md").write_bytes((ROOT / "examples" / "clean-2021.md").read_bytes())
    roster = tmp_path / "agencies.csv"
    roster.write_text(
        "agency,kind,parent\n云溪县人民政府,government,\n云溪县教育局,department,云溪县人民政府\n", encoding="utf-8"
    )
    done = xxgk("audit", tmp_path / "r", "-o", tmp_path / "o", "--roster", roster)
    assert done.returncode == 0 and "未发布 1 个" in done.stderr.decode()
    documents = json.loads((tmp_path / "o" / "findings.json").read_text(encoding="utf-8"))["documents"]
    absent = [d for d in documents if d["agency"] == "云溪县教育局"]
    assert len(absent) == 1 and absent[0]["year"] == 2024
    (finding,) = absent[0]["findings"]
    assert finding["name"] == "report-not-published" and "云溪县教育局" in finding["message"]
    assert not [
        f
        for d in documents
        if d["agency"] == "云溪县人民政府"
        for f in d["findings"]
        if f["name"] == "report-not-published"
    ]
    assert "年报未发布" in (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    roster.write_text("name,type\n某局,部门\n", encoding="utf-8")
    bad = xxgk("audit", tmp_path / "r", "-o", tmp_path / "o2", "--roster", roster)
    assert bad.returncode == 2 and "agency 和 kind" in bad.stderr.decode()


def test_a_declared_aggregate_is_compared_with_the_sum_of_its_children(tmp_path):
    """The roster says the county's report sums up its two departments': each of the four totals
    differs from their sum (each department reports what the county does), an info finding each,
    at the county's own cell. Without the declaration, or with a department missing, nothing."""
    from conftest import run_cli

    text = (ROOT / "examples" / "clean-2021.md").read_text(encoding="utf-8")
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "gov.md").write_text(text, encoding="utf-8")
    for name in ("教育局", "财政局"):
        (tmp_path / "r" / f"{name}.md").write_text(text.replace("云溪县人民政府", f"云溪县{name}"), encoding="utf-8")
    roster = tmp_path / "agencies.csv"

    def audit(rows: str, out: str) -> dict:
        roster.write_text("agency,kind,parent,aggregates\n" + rows, encoding="utf-8")
        done = run_cli("audit", tmp_path / "r", "-o", tmp_path / out, "--roster", roster, "-j", "1")
        assert done.returncode in (0, 1), done.stderr
        documents = json.loads((tmp_path / out / "findings.json").read_text(encoding="utf-8"))["documents"]
        return {d["agency"]: d for d in documents}

    children = "云溪县教育局,department,云溪县人民政府,\n云溪县财政局,部门,云溪县人民政府,\n"
    docs = audit("云溪县人民政府,government,,是\n" + children, "o")
    county = docs["云溪县人民政府"]
    found = [f for f in county["findings"] if f["name"] == "aggregate-mismatch"]
    new = county["facts"]["cells"]["requests.new.total"]
    assert len(found) == 4 and {f["severity"] for f in found} == {"info"}
    assert {f["anchor"] for f in found} == {
        "requests/new/total",
        "requests/outcome.total/total",
        "appeals/review/total",
        "appeals/litigation_direct/total",
    }  # each at a cell the page outlines
    first = next(f for f in found if "本年新收申请" in f["message"])
    assert f"为{new}，" in first["message"] and f"合计{2 * new}少{new}" in first["message"]
    assert "云溪县教育局、云溪县财政局" in first["message"] and first["section"] == "三"
    line = next(n for n, written in enumerate(text.splitlines(), 1) if written.startswith("| 一、本年新收"))
    assert first["line"] == line
    assert not [
        f
        for d in docs.values()
        if d["agency"] != "云溪县人民政府"
        for f in d["findings"]
        if f["name"] == "aggregate-mismatch"
    ]
    undeclared = audit("云溪县人民政府,government,,\n" + children, "o2")
    assert not [f for f in undeclared["云溪县人民政府"]["findings"] if f["name"] == "aggregate-mismatch"]
    partial = audit("云溪县人民政府,government,,是\n" + children + "云溪县民政局,department,云溪县人民政府,\n", "o3")
    assert not [f for f in partial["云溪县人民政府"]["findings"] if f["name"] == "aggregate-mismatch"]
    roster.write_text("agency,kind,aggregates\n云溪县人民政府,government,也许\n", encoding="utf-8")
    bad = run_cli("audit", tmp_path / "r", "-o", tmp_path / "o4", "--roster", roster)
    assert bad.returncode == 2 and "第 2 行" in bad.stderr.decode() and "aggregates" in bad.stderr.decode()


def test_a_report_page_gives_one_entry_per_cause():
    """Three slips in section 一 are one entry "共 3 处" with the other two places under it; a wrong
    cell that breaks its row and its column is one error with the column's relation listed as
    the same cause."""
    import re

    from checker.audit.report import report_page
    from checker.audit.summary import summarize
    from conftest import apply_edits, check_text

    text = (ROOT / "examples" / "clean-2021.md").read_text(encoding="utf-8")
    line = next(written for written in text.splitlines() if written.startswith("| 一、本年新收"))
    edited = apply_edits(
        text,
        [
            ["认真贯彻落实《条例》", "认真贯彻落实《《条例》"],
            ["清理过期失效信息", "清理过期失效的的信息"],
            ["组织业务培训2次", "组织业务培训2次，，"],
            [line, line.replace("| 38 |", "| 40 |", 1)],
        ],
    )
    page = report_page(summarize(check_text(edited), None))
    entries = re.findall(r'<div class="finding (\w+)">\s*<div><span[^>]*>[^<]*</span> <b>(\w+)</b>', page)
    assert sorted(code for _, code in entries) == ["A302", "Q704"]
    slips = page[page.index("<b>Q704</b>") :]
    slips = slips[: slips.index('<div class="finding') if '<div class="finding' in slips else None]
    assert "共 3 处" in slips and "「《《」疑为重复输入" in slips and "其余 2 处" in slips
    assert "「的的」" in slips and "「，，」" in slips and ".md:13:" in slips and ".md:17:" in slips  # each place
    error = page[page.index("<b>A302</b>") :]
    assert "同一原因，另有" in error and "<b>A301</b>" in error
    # the figure that breaks its row and its column is outlined, not the totals it throws off
    (outlined,) = re.findall(r'<td id="([^"]*)" class="num fault" title="([^"]*)">([^<]*)</td>', page)
    assert outlined[2] == "40" and outlined[1].startswith("A302 ") and "；A301 " in outlined[1]
    assert f'<a href="#{outlined[0]}">在表中查看</a>' in error  # the finding links to the cell at fault
    assert (
        page.index('<p class="verdict error">发布前须改正')
        < page.index("<b>A302</b>")
        < page.index("统计表（按官方格式")
    )
    assert "第一部分（1 项）" in page and "第三部分（1 项）" in page


def test_a_report_page_draws_its_tables_with_the_faulty_cell_outlined(batch):
    import re

    manifest, out, docs = batch
    entry = next(e for e in manifest if e["defects"] == ["cell"])
    page = (out / docs[entry["path"]]["page"]).read_text(encoding="utf-8")
    assert "统计表（按官方格式" in page and "三、收到和处理政府信息公开申请情况" in page
    faulty = re.findall(r'<td id="[^"]*" class="num fault" title="([^"]*)">', page)
    assert faulty and any("A303" in title for title in faulty)


def test_an_agency_row_follows_its_figures_across_years():
    from checker.audit.report import agency_rows, sparkline
    from checker.audit.summary import DocSummary

    def doc(agency, year, score, new, disclosed, partial, total, corrected=None, reviews=None, absent=False):
        cells = {
            "requests.new.total": new,
            "requests.outcome.disclosed.total": disclosed,
            "requests.outcome.partial.total": partial,
            "requests.outcome.total.total": total,
            "appeals.review.corrected": corrected,
            "appeals.review.total": reviews,
        }
        d = DocSummary(f"{agency}{year}.md", agency, agency, "department", year, cells=cells, absent=absent)
        d.score = None if absent else score
        return d

    docs = [
        doc("甲局", 2022, 90, 10, 4, 1, 10, 1, 4),
        doc("甲局", 2023, 70, 20, 10, 5, 20, 0, 0),
        doc("甲局", 2024, None, None, None, None, None, absent=True),
        doc("乙局", 2023, 100, 5, 5, 0, 5),
    ]
    rows = agency_rows(docs, {"甲局": "某县人民政府"})
    first = rows[1] if rows[0]["agency"] == "某县人民政府" else rows[0]
    assert first["agency"] == "甲局" and first["parent"] == "某县人民政府"
    assert (first["years"], first["reports"], first["missing"], first["mean"]) == ("2022–2024", 2, 1, 80.0)
    trends = {t["label"]: t for t in first["trends"]}
    assert trends["实质公开率"]["value"] == 75.0  # (10 + 5) ÷ 20 in 2023, the latest year with the figure
    assert trends["复议纠错率"]["value"] == 25.0  # 2023 has no review: the latest is 2022's 1 ÷ 4
    assert "2024年 —" in trends["得分"]["svg"] and "2022年 90分" in trends["得分"]["svg"]
    assert trends["得分"]["svg"].count("<polyline") == 1  # 2022 → 2023, broken at the missing 2024
    assert sparkline([(2021, None), (2022, None)], "件").count("<circle") == 0
    assert sparkline([(2021, 3), (2022, None), (2023, 5)], "件").count("<circle") == 2  # each stands alone


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-16"])
def test_a_roster_saved_by_excel_on_chinese_windows_is_read(tmp_path, encoding):
    """Excel on Chinese Windows saves CSV in GBK (or UTF-8 with a BOM, or Unicode text)."""
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "gov.md").write_bytes((ROOT / "examples" / "clean-2021.md").read_bytes())
    roster = tmp_path / "agencies.csv"
    roster.write_bytes(
        "agency,kind,parent\r\n云溪县人民政府,government,\r\n云溪县教育局,department,云溪县人民政府\r\n".encode(
            encoding
        )
    )
    done = xxgk("audit", tmp_path / "r", "-o", tmp_path / "o", "--roster", roster)
    assert done.returncode == 0 and "未发布 1 个" in done.stderr.decode(), done.stderr.decode()


def test_a_large_roster_of_absent_agencies_is_one_list_page(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "gov.md").write_bytes((ROOT / "examples" / "clean-2021.md").read_bytes())
    roster = tmp_path / "agencies.csv"
    roster.write_text(
        "agency,kind,parent\n云溪县人民政府,government,\n"
        + "".join(f"云溪县第{i}局,department,云溪县人民政府\n" for i in range(300)),
        encoding="utf-8",
    )
    done = xxgk("audit", tmp_path / "r", "-o", tmp_path / "o", "--roster", roster)
    assert done.returncode == 0
    pages = sorted(p.relative_to(tmp_path / "o").as_posix() for p in (tmp_path / "o").rglob("*.html"))
    assert len(pages) == 3 and {"index.html", "reports/unpublished.html"} < set(pages), pages
    listing = (tmp_path / "o" / "reports" / "unpublished.html").read_text(encoding="utf-8")
    assert listing.count("<tr id=") == 300 and "云溪县第299局" in listing
    documents = json.loads((tmp_path / "o" / "findings.json").read_text(encoding="utf-8"))["documents"]
    links = {d["page"] for d in documents if d["agency"].startswith("云溪县第")}
    assert all(link.startswith("reports/unpublished.html#a") for link in links) and len(links) == 300


def test_a_supervisors_audit_ranks_non_publishers_last_and_matches_each_agency_once(tmp_path):
    """Issue 34: the audit is of 2024 (the batch's most frequent year); the 2023 report is history,
    not a missing 2023; 云溪县教育局 did not publish — scored 0, first in the worst-first order,
    counted once as 未发布, never as unreadable; 云溪县数据局 was created in 2025 and owes nothing;
    洪泽区 is the roster's 淮安市洪泽区 and 沐阳 is 沭阳 (said as an approximate match)."""
    from batch import supervisor_batch
    from conftest import run_cli

    roster = supervisor_batch(tmp_path / "r")
    done = run_cli("audit", tmp_path / "r", "-o", tmp_path / "o", "--roster", roster, "-j", "1")
    said = done.stderr.decode()
    assert done.returncode == 0, said
    assert "审计2024年度（批次中报告最多的年度）" in said
    assert "已检查 5/5 份报告（100%）" in said  # a log line where no terminal shows a bar
    assert "已发布 4 份，名册 5 个机关，未发布 1 个，无法读取 0 份" in said  # 数据局 owes 2025 on
    assert "其他年度的报告 1 份" in said and "1 份按名称近似匹配到名册" in said and "不在名册中" not in said
    documents = json.loads((tmp_path / "o" / "findings.json").read_text(encoding="utf-8"))["documents"]
    by_agency = {(d["agency"], d["year"]): d for d in documents}
    assert set(by_agency) == {
        ("洪泽区人民政府", 2024),
        ("沐阳县人民政府", 2024),
        ("云溪县人民政府", 2024),
        ("岚山县人民政府", 2024),
        ("云溪县教育局", 2024),
    }
    absent = by_agency[("云溪县教育局", 2024)]
    assert absent["score"] == 0 and [f["code"] for f in absent["findings"]] == ["D604"]
    assert not [f for d in documents for f in d["findings"] if f["code"] == "D604" and d["agency"] != "云溪县教育局"]
    rows = list(csv.DictReader((tmp_path / "o" / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["agency"] == "云溪县教育局"  # worst first: not publishing is the worst result
    page = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    assert "按名称近似匹配" in page and "沐→沭" in page and "其他年度的报告（1 份）" in page
    assert "yunxi-2023.md" in page.split("其他年度的报告")[1]
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "o" / "summary.xlsx")
    sheet = book["报告"]
    headers = [c.value for c in sheet[1]]
    first = [c.value for c in sheet[2]]
    assert first[headers.index("机关")] == "云溪县教育局" and first[headers.index("按期公布")] == "未发布"
    assert first[headers.index("得分")] == 0
    assert {r[headers.index("适用格式")].value for r in sheet.iter_rows(min_row=3)} == {"2021年版格式"}
    wide = book["机关历年"]
    wide_headers = [c.value for c in wide[1]]
    assert wide_headers == ["机关", "机关类别"] + [
        f"{y}年{w}" for y in (2023, 2024) for w in ("得分", "错误", "本年新收申请")
    ]
    yunxi = next([c.value for c in r] for r in wide.iter_rows(min_row=2) if r[0].value == "云溪县人民政府")
    assert yunxi[2] is not None and yunxi[5] is not None  # both years side by side, on one row
    assert next(r for r in wide.iter_rows(min_row=2))[0].value == "云溪县教育局"  # worst latest first


def test_progress_in_a_log_is_a_line_every_n_reports_or_ten_seconds(monkeypatch, capsys):
    from checker.audit import run

    monkeypatch.setattr(run, "LOG_EVERY", 3)
    progress = run._LogProgress(7)
    for _ in range(7):
        progress.advance(None, 1)
    progress.stop()
    lines = capsys.readouterr().err.splitlines()
    assert [line.split("（")[0] for line in lines] == ["已检查 3/7 份报告", "已检查 6/7 份报告", "已检查 7/7 份报告"]
    slow = run._LogProgress(1000)
    slow.last -= 11  # ten seconds and more since the last line: one now, whatever the count
    slow.advance(None, 1)
    assert capsys.readouterr().err.startswith("已检查 1/1000 份报告")


def test_one_agency_one_key_across_full_names_aliases_and_look_alikes():
    """identity.resolve: the short name and the full one, an alias, a look-alike slip — also with
    the divisions above it written on one side only (沐阳县 / 宿迁市沭阳县) — are the roster's agency;
    a slip is said, an unknown agency is not on the roster; without a roster, the short and the
    full name of one agency in the batch are one key."""
    from checker.audit import identity
    from checker.audit.agencies import agency_key
    from checker.audit.roster import Member
    from checker.audit.summary import DocSummary

    def doc(name: str) -> DocSummary:
        return DocSummary(f"{name}.md", name, agency_key(name), "government", 2024)

    roster = [
        Member("淮安市洪泽区人民政府", "government"),
        Member("宿迁市沭阳县人民政府", "government"),
        Member("平潭综合实验区管理委员会", "zone", aliases=("平潭实验区管委会",)),
    ]
    names = ("洪泽区人民政府", "沐阳县人民政府", "平潭实验区管委会", "云溪县教育局", "泗阳县人民政府")
    docs = [doc(n) for n in names]
    identity.resolve(docs, roster)
    keys = [agency_key(m.agency) for m in roster]
    assert [d.agency_key for d in docs[:3]] == keys
    assert [d.match for d in docs] == [None, "沐→沭", None, None, None]
    assert [d.on_roster for d in docs] == [True, True, True, False, False]  # 泗阳县 is a county of its own
    loose = [doc("洪泽区人民政府"), doc("淮安市洪泽区人民政府"), doc("泗阳县人民政府")]
    identity.resolve(loose)
    assert loose[0].agency_key == loose[1].agency_key != loose[2].agency_key
    assert loose[0].on_roster is None


def test_a_merge_of_shards_is_the_audit_of_the_whole(batch, tmp_path):
    """`xxgk audit merge`: three shards audited apart (each agency's years in one shard, but a
    text copied across shards) and merged give the whole batch's findings.json and summary.csv
    byte for byte — 雷同 across shards included — without reading a report again."""
    _, whole, documents = batch
    reports = sorted(documents)
    # the generated batch copies texts between agencies, so some copies cross the shards
    shards = [reports[:35], reports[35:70], reports[70:]]
    outs = []
    for i, paths in enumerate(shards):
        outs.append(tmp_path / f"shard{i}")
        run = run_cli("audit", *paths, "-o", outs[-1], "-j", "2", "--year", "all", "-q")
        assert run.returncode == 0, run.stderr.decode()
    for path in reports:
        os.rename(path, path + ".gone")  # the merge must not read them
    try:
        merged = run_cli("audit", "merge", *outs, "-o", tmp_path / "national", "--year", "all", "-q")
    finally:
        for path in reports:
            os.rename(path + ".gone", path)
    assert merged.returncode == 0, merged.stderr.decode()
    for name in ("findings.json", "summary.csv"):
        assert (tmp_path / "national" / name).read_bytes() == (whole / name).read_bytes(), name
    found = json.loads((tmp_path / "national" / "findings.json").read_text(encoding="utf-8"))["documents"]
    across = [
        s for d in found for s in d["similar"] if reports.index(d["path"]) < 35 and reports.index(s["other"]) >= 70
    ]
    assert across, "a copy across shards is found by the merge"
    # a folder that is no audit is refused in words
    refused = run_cli("audit", "merge", tmp_path, "-o", tmp_path / "x")
    assert refused.returncode == 2 and "不是 xxgk 审计的输出目录" in refused.stderr.decode()


def test_copies_among_shared_boilerplate_are_found_and_nothing_else():
    """Real-shaped sections (a Zipf-drawn stock of boilerplate, a few percent copied from
    another agency with a sentence or two changed, one text handed to a group): the copies are
    found — LSH proposes below the threshold, the MinHash estimate screens, a bucket of many
    different texts proposes nothing — and every section flagged is a copy or its source."""
    from checker.audit import cross
    from checker.audit.similar import signature
    from checker.engine.rules import builtin_rules

    n506 = next(r for r in builtin_rules() if r.code == "N506")
    docs, planted = make_batch.similar_batch(3000)
    for doc in docs:
        doc.signatures = {o: s for o, t in doc.sections.items() if (s := signature(t)) is not None}
    found = cross.copied(docs, len(docs), n506)
    flagged = {(i, f.section) for i, findings in found.items() for f in findings}
    caught = {(i, o) for i, _, o in planted} & flagged
    assert len(caught) >= 0.9 * len(planted)
    involved = {(i, o) for i, _, o in planted} | {(s, o) for _, s, o in planted if s is not None}
    assert flagged <= involved
    # a flagged copy names its source (or a fellow copy of the same source) and where it is
    copy, source, ordinal = next(
        p for p in sorted(planted, key=lambda p: p[0]) if p[1] is not None and (p[0], p[2]) in flagged
    )
    (finding,) = [f for f in found[copy] if f.section == ordinal]
    assert finding.code == "N506" and finding.anchor == f"section/{ordinal}"
