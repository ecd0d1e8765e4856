"""Agency kinds as the regulation draws them (issue 29 §2): which deadline binds, which content
duty applies, and which reports the format does not govern — each on the clean example with only
its agency, its date or its year changed, as a real report of that kind would read."""

from __future__ import annotations

import pytest

from checker.facts.report_meta import agency_kind
from conftest import EXAMPLES, apply_edits, check_text, run_cli

TITLE = "# 云溪县人民政府2024年"
SIGNED = "云溪县人民政府办公室\n\n2025年1月20日"


@pytest.mark.parametrize(
    "name, kind",
    [
        ("云溪县人民政府", "government"),
        ("云溪市人民政府", "government"),
        ("云溪县人民政府办公室", "department"),
        ("上海市人民政府办公厅（代表市政府）", "department"),
        ("云溪县教育局", "department"),
        ("国家税务总局云溪县税务局", "department"),
        ("云溪海关", "department"),
        ("中国人民银行云溪县支行", "department"),
        ("云溪县青山镇人民政府", "township"),
        ("云溪县白水乡", "township"),
        ("云溪县城关街道办事处", "subdistrict"),
        ("云溪县城东街道", "subdistrict"),
        ("平潭综合实验区管委会", "zone"),
        ("云溪经济技术开发区管理委员会", "zone"),
        ("云溪高新区", "zone"),
        ("云溪县自来水有限公司", "organisation"),
        ("云溪县人民医院", "organisation"),
        ("云溪县第一中学", "organisation"),
        ("云溪县政务公开工作专班小组", "unknown"),
    ],
)
def test_the_kind_follows_the_name(name, kind):
    assert agency_kind(name) == kind


def _as(clean: str, agency: str, published: str = "2025年1月20日") -> str:
    return apply_edits(clean, [[TITLE, f"# {agency}2024年"], [SIGNED, f"{agency}\n\n{published}"]])


def _d601(result):
    found = [f for f in result.findings if f.code == "D601"]
    assert len(found) <= 1
    return found[0] if found else None


def test_a_committee_has_no_national_deadline_and_a_reference_date_is_a_warning(clean_2021):
    late = check_text(_as(clean_2021, "云溪经济开发区管理委员会", "2025年4月20日"))
    assert late.facts.agency_kind == "zone"
    finding = _d601(late)
    assert finding.severity == "warning" and finding.loc.line == 93
    assert finding.message == (
        "落款日期为2025年4月20日，晚于参照期限2025年3月31日，逾期20天（开发区、新区等的管理委员会的"
        "公布期限无全国统一规定，设定地方期限后按地方期限核对）"
    )
    assert "法定期限" not in finding.message


def test_a_committee_reporting_for_its_area_gets_the_governments_duty_as_a_warning(clean_2021):
    text = apply_edits(_as(clean_2021, "云溪经济开发区管理委员会"), [["未发生需要追究责任的情形。", ""]])
    (finding,) = [f for f in check_text(text).findings if f.code == "N503"]
    assert finding.severity == "warning" and "责任追究" in finding.message


def test_a_subdistrict_office_is_not_a_peoples_government(clean_2021):
    text = apply_edits(_as(clean_2021, "云溪县城关街道办事处", "2025年4月2日"), [["未发生需要追究责任的情形。", ""]])
    result = check_text(text)
    assert result.facts.agency_kind == "subdistrict"
    assert not [f for f in result.findings if f.code == "N503"]  # 第五十条（四） binds 人民政府 only
    assert _d601(result).severity == "warning" and "街道办事处的公布期限无全国统一规定" in _d601(result).message


def test_a_general_offices_own_report_is_a_departments(clean_2021):
    result = check_text(_as(clean_2021, "云溪县人民政府办公室", "2025年2月20日"))
    assert (
        result.facts.agency_kind_evidence == "名称「云溪县人民政府办公室」以「人民政府办公室」结尾"
    )  # the kind's evidence
    finding = _d601(result)
    assert finding.severity == "error"
    assert finding.message == "落款日期为2025年2月20日，晚于法定期限2025年1月31日，逾期20天"


def test_a_vertically_managed_unit_is_a_department(clean_2021):
    result = check_text(_as(clean_2021, "国家税务总局云溪县税务局", "2025年2月3日"))
    assert result.facts.agency_kind == "department"
    assert _d601(result).severity == "error" and "逾期3天" in _d601(result).message


def test_a_report_on_a_year_before_the_regulation_is_said_once_and_not_blamed():
    text = (EXAMPLES / "clean-2008.md").read_text(encoding="utf-8")
    text = apply_edits(
        text,
        [
            ["# 松阳市统计局2016年", "# 松阳市统计局2006年"],
            ["2016年1月1日至12月31日", "2006年1月1日至12月31日"],
            ["2017年3月20日", "2007年9月20日"],
            ["## 三、政府信息公开收费及减免情况\n", ""],
        ],
    )
    result = check_text(text)
    assert [(f.code, f.severity, f.loc.line) for f in result.findings] == [("S108", "info", 1)]
    assert "2006年" in result.findings[0].message and "2008年5月1日" in result.findings[0].message


def test_a_public_enterprises_report_is_outside_the_format_but_its_text_is_still_read(clean_2021):
    text = apply_edits(
        _as(clean_2021, "云溪县自来水有限公司", "2025年6月1日"),
        [["## 五、存在的主要问题及改进情况", "## 五、存在的主要问题及改進情况"]],
    )
    result = check_text(text)
    codes = sorted(f.code for f in result.findings)
    assert codes == ["Q701", "S107"], codes
    (scope,) = [f for f in result.findings if f.code == "S107"]
    assert scope.severity == "info" and "公共企事业单位" in scope.message and "第五十五条" in scope.basis


def _configured(tmp_path, text: str, config: str):
    folder = tmp_path / f"case{len(list(tmp_path.iterdir()))}"  # a folder each: settings are read once per file
    folder.mkdir()
    (folder / "xxgk.toml").write_text(config, encoding="utf-8")
    report = folder / "report.md"
    report.write_text(text, encoding="utf-8")
    run = run_cli("check", report, "--format", "concise", "--fail-on", "warning")
    return run.returncode, [line for line in run.stdout.decode().splitlines() if " D601 " in line]


def test_a_local_deadline_by_kind_comes_from_the_configuration(tmp_path, clean_2021):
    township = _as(clean_2021, "云溪县青山镇人民政府", "2025年2月25日")
    assert _configured(tmp_path, township, 'deadlines = {township = "03-31"}\n') == (0, [])
    code, (line,) = _configured(tmp_path, township, 'deadlines = {township = "02-20"}\n')
    assert code == 1 and "D601 [warning] 落款日期为2025年2月25日，晚于地方规定的期限2025年2月20日，逾期5天" in line


def test_an_earlier_local_deadline_for_departments_is_a_warning_and_the_statutory_one_still_an_error(
    tmp_path, clean_2021
):
    config = 'deadlines = {department = "01-20"}\n'
    _, (local,) = _configured(tmp_path, _as(clean_2021, "云溪县教育局", "2025年1月25日"), config)
    assert "D601 [warning]" in local and "地方规定的期限2025年1月20日" in local
    _, (statutory,) = _configured(tmp_path, _as(clean_2021, "云溪县教育局", "2025年2月5日"), config)
    assert "D601 [error]" in statutory and "法定期限2025年1月31日" in statutory


def test_a_local_deadline_for_a_kind_that_does_not_exist_is_a_usage_error(tmp_path, clean_2021):
    (tmp_path / "xxgk.toml").write_text('deadlines = {villages = "02-20"}\n', encoding="utf-8")
    (tmp_path / "r.md").write_text(clean_2021, encoding="utf-8")
    run = run_cli("check", tmp_path / "r.md")
    assert run.returncode == 2 and "villages" in run.stderr.decode()


def test_an_audit_holds_townships_to_the_local_deadline_it_is_given(tmp_path, clean_2021):
    import json

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.md").write_text(_as(clean_2021, "云溪县青山镇人民政府", "2025年2月25日"), encoding="utf-8")
    run = run_cli("audit", tmp_path / "in", "-o", tmp_path / "out", "-q", "--deadline", "township=02-20")
    assert run.returncode == 0, run.stderr.decode()
    (document,) = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["documents"]
    (late,) = [f for f in document["findings"] if f["code"] == "D601"]
    assert late["severity"] == "warning" and "地方规定的期限2025年2月20日" in late["message"]
    bad = run_cli("audit", tmp_path / "in", "-o", tmp_path / "out2", "-q", "--deadline", "township")
    assert bad.returncode == 2 and "类别=月-日" in bad.stderr.decode()
