"""Findings a clerk and a CI gate can trust: the report read for what it says (phrasings, negations
about something else), one cause one finding, severity after the legal text, a failing rule that
loses only itself."""

from __future__ import annotations

import pytest

from checker.engine.checks import CHECKS, check
from checker.engine.rules import RuleError, builtin_rules, load_rules
from conftest import EXAMPLES, apply_edits, check_text

FEE = "本县未收取信息处理费。"


def _by(result, code):
    return [f for f in result.findings if f.code == code]


# --- 1. read what the report says -------------------------------------------------------------


# the shapes real reports use to say no 信息处理费 was collected (agencies insert 公开, 本机关,
# 本年度, 任何 …), and to give an amount
@pytest.mark.parametrize(
    "sentence",
    [
        "2025年度本机关未收取信息公开处理费。",
        "本年度未收取任何信息处理费。",
        "本机关无信息处理费收取情况。",
        "本年度未发生信息处理费收费情况。",
        "没有发生收取信息处理费的情况。",
        "依申请公开政府信息未收取任何费用。",
        "本年度收取信息处理费0元。",
        "信息处理费：无。",
        "本年度共收取信息处理费1200元。",
        "全年未向申请人收取信息公开处理费用。",
    ],
)
def test_fee_statement_phrasings_are_read(clean_2021, sentence):
    result = check_text(apply_edits(clean_2021, [[FEE, sentence]]))
    assert not _by(result, "N505"), sentence


@pytest.mark.parametrize("sentence", ["本县按照规定收取信息处理费。", "本县依法依规开展政府信息公开工作。"])
def test_no_fee_statement_is_still_found(clean_2021, sentence):
    (finding,) = _by(check_text(apply_edits(clean_2021, [[FEE, sentence]])), "N505")
    assert finding.severity == "warning" and finding.section == "六"


def test_a_fee_named_without_an_amount_points_at_the_line_naming_it(clean_2021):
    text = apply_edits(clean_2021, [[FEE, "本县依申请公开信息的收费情况按规定办理。"]])
    (finding,) = _by(check_text(text), "N505")
    line = next(n for n, written in enumerate(text.splitlines(), 1) if "收费情况按规定" in written)
    assert finding.loc.line == line and finding.message.startswith("提到信息处理费但未写明")


SUPERVISION = "（五）监督保障。"


def test_the_first_line_naming_the_fee_in_any_wording_is_the_one_pointed_at(clean_2021):
    """fee-stated starts at the first line one search of the whole text finds naming the fee, in
    its written form or without the filler words: this line names it only once they are dropped
    (依申请…收费 within ten characters)."""
    early = "依申请公开本机关有关政府信息的相关收费按规定执行。"
    text = apply_edits(clean_2021, [[SUPERVISION, SUPERVISION + early], [FEE, "本县依法依规开展政府信息公开工作。"]])
    (finding,) = _by(check_text(text), "N505")
    line = next(n for n, written in enumerate(text.splitlines(), 1) if early in written)
    assert finding.loc.line == line and finding.message.startswith("提到信息处理费但未写明")
    # a statement further on still says what was charged
    assert not _by(check_text(apply_edits(clean_2021, [[SUPERVISION, SUPERVISION + early]])), "N505")


def test_a_place_in_the_joined_text_is_in_the_unit_that_holds_it(clean_2021):
    from checker.engine.context import Context
    from checker.pipeline import Overrides, extract, ingest_bytes, normalize, parse

    normal = normalize(ingest_bytes(clean_2021.encode(), "a.md"))
    report = parse(normal)
    ctx = Context(normal, report, extract(report, normal, Overrides()))
    joined, units = ctx.joined(), ctx.texts()
    at = 0
    for index, unit in enumerate(units):
        assert joined[at : at + len(unit.text)] == unit.text
        for offset in (at, at + len(unit.text) - 1, at + len(unit.text)):  # first, last, the break after
            assert ctx.unit_at(offset) == index
        at += len(unit.text) + 1


@pytest.mark.parametrize(
    "source, free",
    [
        ("信息处理费|处理费用?", True),
        ("(?:依申请)[^，。]{0,10}收费", True),
        ("^收费", False),
        ("收费(?=标准)", False),
        (r"\b费", False),
    ],
)
def test_only_a_pattern_blind_to_its_surroundings_may_filter_whole_lines(source, free):
    """A pattern with an anchor or lookaround can match a clause and not the line around it (or
    the other way): fee-stated then matches clause by clause without the line filter."""
    import re

    from checker.engine.checks import context_free

    assert context_free(re.compile(source)) is free


def test_a_nil_statement_about_corrections_is_not_a_nil_count(clean_2021):
    """ "未发生…被行政复议纠错或行政诉讼败诉" says no review overturned a decision: with 4 reviews and
    3 suits in the table there is nothing to contradict."""
    text = apply_edits(clean_2021, [[FEE, FEE + "全年未发生因政府信息公开被行政复议纠错或行政诉讼败诉的情形。"]])
    result = check_text(text)
    assert not _by(result, "C401") and not _by(result, "C405")
    assert not [f for f in result.facts.figures if f.topic in ("review", "litigation") and f.nil]


def test_a_real_nil_review_statement_still_contradicts_the_table(clean_2021):
    result = check_text(apply_edits(clean_2021, [[FEE, FEE + "本年度未发生行政复议。"]]))
    (finding,) = _by(result, "C401")
    assert "行政复议" in finding.message and finding.evidence.startswith("未发生行政复议")


def test_a_correction_count_is_not_the_review_count(clean_2021):
    result = check_text(apply_edits(clean_2021, [[FEE, FEE + "被行政复议纠错1件。"]]))
    assert not _by(result, "C401")


COUNT_2008 = "全年共收到政府信息公开申请12件，已全部按期答复，其中予以公开9件，因不属于本机关掌握范围告知申请人3件，无不予公开的情况。"


# the shapes real (2008-era) reports use to state the number of applications, or that there were none
@pytest.mark.parametrize(
    "sentence",
    [
        "本年度未收到政府信息公开申请。",
        "本机关本年度未接到任何政府信息公开申请。",
        "全年没有公民、法人或其他组织提出政府信息公开申请。",
        "全年政府信息公开申请数为0。",
        "全年受理政府信息公开申请12件，均按期答复。",
        "共办理依申请公开12件。",
        "附表：政府信息公开申请数 条 12 12",
    ],
)
def test_application_count_phrasings_are_read(sentence):
    result = _2008([[COUNT_2008, sentence]])
    assert not [f for f in _by(result, "N501") if "申请" in f.message], sentence


def _2008(clean_2008_edits):
    text = (EXAMPLES / "clean-2008.md").read_text(encoding="utf-8")
    return check_text(apply_edits(text, clean_2008_edits))


def test_2008_statistics_rows_state_the_counts():
    """The 2008-era 统计表 flattened into text: "行政复议数 件 0 0 行政诉讼数 条 0 0" states both counts."""
    plain = _2008([])
    line = next(p.text for p in plain.report.paragraphs() if "复议" in p.text)
    result = _2008([[line, "附表：行政复议数 件 0 0 行政诉讼数 条 0 0"]])
    assert not _by(result, "N501")


# --- 2. one cause, one finding ----------------------------------------------------------------

TABLE_3 = ("| 一、本年新收政府信息公开申请数量 |", "| 四、结转下年度继续办理 |")


def _without_table_3(text: str, keep_prose: bool) -> str:
    start = text.index("| 申请人情况") if "| 申请人情况" in text else text.index(TABLE_3[0])
    end = text.index("\n", text.index(TABLE_3[1])) + 1
    head = text.index("## 三、")
    body = text[text.index("\n", head) + 1 : start]
    return text[:head] + "## 三、收到和处理政府信息公开申请情况\n\n" + (body if keep_prose else "") + text[end:]


def test_an_empty_section_is_one_finding_with_its_table_and_counts_under_it(clean_2021):
    result = check_text(
        _without_table_3(clean_2021, keep_prose=False).replace(
            "全年共收到政府信息公开申请45件", "全年依法办理政府信息公开申请"
        )
    )
    (root,) = [f for f in result.findings if f.section == "三" and f.severity == "error"]
    assert root.code == "S104" and root.message.startswith("第三部分")
    assert {f.code for f in root.related} >= {"T201"}
    assert not _by(result, "T201")


def test_json_keeps_what_was_subsumed_countable(clean_2021):
    from checker.formats.jsonfmt import finding_dict

    result = check_text(_without_table_3(clean_2021, keep_prose=False))
    (root,) = _by(result, "S104")
    data = finding_dict(root, result.source)
    assert [r["code"] for r in data["related"]] == [f.code for f in root.related] and data["related"]
    assert all({"code", "message", "line", "fingerprint"} <= set(r) for r in data["related"])


def test_blank_cells_are_one_finding_per_table_listing_rows(clean_2021):
    text = apply_edits(
        clean_2021,
        [
            ["| 规章 | 0 | 0 | 0 |", "| 规章 | / | / | / |"],
            ["| 行政规范性文件 | 6 | 2 | 41 |", "| 行政规范性文件 | 6 |  | 41 |"],
        ],
    )
    (finding,) = _by(check_text(text), "T204")
    assert finding.section == "二" and "4格" in finding.message
    assert "「规章」行" in finding.message and "「行政规范性文件」行的本年废止件数" in finding.message
    assert finding.evidence == "规章"


def test_a_prose_mismatch_is_reported_once_per_pair(clean_2021):
    text = apply_edits(clean_2021, [["全年共收到政府信息公开申请45件", "全年共收到政府信息公开申请54件，占100%"]])
    text = text.replace(FEE, FEE + "本年度共收到政府信息公开申请54件。")
    findings = [f for f in _by(check_text(text), "C401") if "新收" in f.message]
    assert len(findings) == 1 and "54" in findings[0].message


def test_subsumes_names_unknown_codes_with_a_hint(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        """
- code: S901
  name: my-rule
  title: 自定义
  severity: error
  basis: 本单位规定
  check: section-present
  params: {sections: [一]}
  message: "缺少{ordinal}"
  subsumes: [{codes: [S14], same: section}]
""",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match="subsumes"):
        load_rules((pack,))
    pack.write_text(
        pack.read_text(encoding="utf-8").replace("codes: [S14], same: section", "codes: [S104], same: sectoin"),
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match="是否想写「section」"):
        load_rules((pack,))


# --- 3. severity follows the legal text -------------------------------------------------------


def test_severities_after_the_regulation():
    rules = {r.code: r for r in builtin_rules()}
    assert rules["S105"].severity == "warning" and rules["N505"].severity == "warning"
    assert rules["N501"].severity_for("regulation-2008") == "warning"
    assert rules["N501"].severity_for("format-2021") == "error"
    assert "township" in rules["N503"].agency_kinds
    assert "第九条" in rules["Q701"].basis and "第十四条" not in rules["Q701"].basis
    for code in ("A301", "A302", "A303", "A304", "A305", "T203", "T204"):
        assert "〔2019〕60号" in rules[code].basis_for("format-2019"), code
        assert "〔2019〕60号" not in rules[code].basis_for("format-2021"), code
    # accuracy is the 条例's 第六条 in every regime (2007's own for a 2008-era report), not 第四十七条
    assert rules["C401"].basis_for("format-2019").startswith("《条例》第六条")
    assert rules["C405"].basis_for("regulation-2008").startswith("《条例》（2007年公布）第六条")


def test_a_2008_count_not_stated_is_a_warning():
    text = (EXAMPLES / "clean-2008.md").read_text(encoding="utf-8")
    result = check_text(
        apply_edits(
            text,
            [
                [
                    "全年共收到政府信息公开申请12件，已全部按期答复，其中予以公开9件，因不属于本机关掌握范围告知申请人3件，无不予公开的情况。",
                    "全年收到政府信息公开申请，均已按期答复。",
                ]
            ],
        )
    )
    (finding,) = _by(result, "N501")
    assert finding.severity == "warning" and "第三十二条" in finding.basis


def test_township_deadline_is_no_legal_deadline_without_a_local_one(clean_2021):
    text = apply_edits(clean_2021, [["2025年1月20日", "2025年4月20日"]])
    (finding,) = _by(check_text(text, agency_kind="township"), "D601")
    assert finding.severity == "warning" and "法定期限" not in finding.message and "乡镇" in finding.message
    (government,) = _by(check_text(text, agency_kind="government"), "D601")
    assert government.severity == "error" and "法定期限" in government.message


def test_township_governments_report_accountability(clean_2021):
    text = apply_edits(clean_2021, [["未发生需要追究责任的情形。", ""]])
    (finding,) = _by(check_text(text, agency_kind="township"), "N503")
    assert finding.severity == "warning" and finding.message.startswith("人民政府的年度报告没有说明责任追究结果情况")


@pytest.mark.parametrize(
    "said, severity, lacking",
    [
        # none of the three spoken of: the 条例's duty is plain, an error
        ("", "error", "工作考核结果情况、社会评议结果情况、责任追究结果情况"),
        # spoken of without what came of it ("纳入年度考核"): a warning naming them
        (
            "将政府信息公开工作纳入县直单位年度考核，组织开展社会评议，建立责任追究制度。",
            "warning",
            "工作考核结果情况、社会评议结果情况、责任追究结果情况",
        ),
        # a state enterprise's 业绩考核 is not the government's work assessment
        (
            "依法公开国有企业生产经营、业绩考核等情况；本年度开展社会评议1次，群众满意率为95%；未发生需要追究责任的情形。",
            "warning",
            "工作考核结果情况",
        ),
        # every result stated, in other words
        ("年度考核中本县政务公开工作位列全市第3名；第三方评估得分92.5分；全年问责2人。", None, ""),
    ],
)
def test_a_governments_accountability_duty_is_read_from_its_results(clean_2021, said, severity, lacking):
    text = apply_edits(
        clean_2021,
        [
            ["将政府信息公开工作纳入县直单位年度考核，", ""],
            [
                "本年度开展社会评议1次，群众满意率为95%；县直单位考核结果均为良好以上等次，未发生需要追究责任的情形。",
                said,
            ],
        ],
    )
    found = _by(check_text(text), "N503")
    if severity is None:
        assert not found, [f.message for f in found]
        return
    (finding,) = found
    assert finding.severity == severity and finding.loc.line == 1 and f"没有说明{lacking}" in finding.message


# --- 5. agencies and their kind ---------------------------------------------------------------


def test_agency_from_the_body_when_there_is_no_title(clean_2021):
    text = clean_2021.replace("# 云溪县人民政府2024年政府信息公开工作年度报告\n", "")
    text = text.replace("云溪县人民政府办公室\n\n2025年1月20日\n", "2025年1月20日\n")
    result = check_text(text)
    assert result.facts.agency == "云溪县人民政府" and result.facts.agency_kind == "government"


@pytest.mark.parametrize(
    "name, key, kind",
    [
        ("平潭综合实验区", "平潭综合实验区", "zone"),
        ("平潭综合实验区管委会", "平潭综合实验区", "zone"),
        ("云溪高新区管理委员会", "云溪高新区", "zone"),
        ("云溪县人民政府", "云溪县政府", "government"),
    ],
)
def test_zones_and_their_committees_are_one_agency_and_not_a_government(name, key, kind):
    """A 管委会 is one agency whatever it calls itself, and not a 人民政府 (第四十九条, 第五十条（四）)."""
    from checker.audit.agencies import agency_key
    from checker.facts.report_meta import agency_kind

    assert agency_key(name) == key and agency_kind(name) == kind


def test_unknown_stays_honest():
    from checker.facts.report_meta import agency_kind

    assert agency_kind("云溪县政务公开工作专班小组") == "unknown"


# --- 6. a failing rule loses only itself --------------------------------------------------------


@pytest.fixture
def exploding_rule(tmp_path):
    if "test-explodes" not in CHECKS:

        @check("test-explodes")
        def explodes(ctx, params):
            """Fails on every report (a defect in a rule)."""
            yield from ()
            raise ZeroDivisionError("boom")

    pack = tmp_path / "explodes.yaml"
    pack.write_text(
        """
- code: S990
  name: explodes
  title: 会出错的规则
  severity: error
  basis: 测试
  check: test-explodes
  message: "不会出现"
""",
        encoding="utf-8",
    )
    return load_rules((pack,))


def test_a_rule_that_raises_loses_only_itself(exploding_rule, clean_2021):
    from checker.facts import Overrides
    from checker.formats.jsonfmt import finding_dict
    from checker.pipeline import check_bytes

    text = apply_edits(clean_2021, [["全年共收到政府信息公开申请45件", "全年共收到政府信息公开申请54件"]])
    result = check_bytes(text.encode("utf-8"), "r.md", Overrides(), exploding_rule)
    (failed,) = _by(result, "E004")
    assert "S990" in failed.message and failed.severity == "warning"
    assert finding_dict(failed)["exception"] == "ZeroDivisionError"
    assert _by(result, "C401") and not _by(result, "E001") and result.facts is not None


def test_one_wrong_cell_is_one_finding(clean_2021):
    """本年新收·自然人 written 40 for 38: its row total and its column balance both fail by 2 —
    one cause, so one A302 with A301 under it; a second wrong cell elsewhere is a second finding."""
    row = "| 一、本年新收政府信息公开申请数量 | | | 38 | 4 | 0 | 1 | 2 | 0 | 45 |"
    wrong = [row, row.replace("| 38 |", "| 40 |")]
    result = check_text(apply_edits(clean_2021, [wrong]))
    (root,) = [f for f in result.findings if f.code.startswith("A3")]
    assert root.code == "A302" and [f.code for f in root.related] == ["A301"]
    assert root.evidence == "45"
    outcome = "| 三、本年度办理结果 | （五）不予处理 | 2.重复申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"
    two = check_text(apply_edits(clean_2021, [wrong, [outcome, outcome.replace("0 | 1 |", "0 | 5 |")]]))
    assert len([f for f in two.findings if f.code == "A302"]) == 2


@pytest.mark.parametrize(
    "name, level",
    [
        ("国家统计局", "central"),
        ("江苏省人民政府", "province"),
        ("上海市人民政府办公厅（代表市政府）", "province"),
        ("淮安市人民政府", "prefecture"),
        ("延边朝鲜族自治州人民政府", "prefecture"),
        ("淮安市洪泽区人民政府", "county"),
        ("沭阳县人民政府", "county"),
        ("义乌市人民政府", "county"),
        ("某某镇人民政府", "township"),
        ("平潭综合实验区管委会", "zone"),
        ("广州市体育局", "department"),
        ("某某工作专班", "unknown"),
    ],
)
def test_agency_level_from_the_name(name, level):
    from checker.facts.report_meta import agency_level

    assert agency_level(name) == level


def test_yaml_only_rules_point_at_their_evidence(clean_2021):
    """A306, C406 and T207 are written in YAML alone; each fail points at the row or sentence."""
    swapped = check_text(
        apply_edits(clean_2021, [["| 行政规范性文件 | 6 | 2 | 41 |", "| 行政规范性文件 | 41 | 2 | 6 |"]])
    )
    (a306,) = [f for f in swapped.findings if f.code == "A306"]
    assert a306.anchor == "active/normative_docs/in_force" and a306.evidence == "6"
    made = check_text(apply_edits(clean_2021, [["| 规章 | 0 | 0 | 0 |", "| 规章 | 2 | 0 | 2 |"]]))
    (t207,) = [f for f in made.findings if f.code == "T207"]
    assert t207.anchor == "active/rules/issued" and t207.severity == "warning"
    assert not [
        f
        for f in check_text(
            apply_edits(clean_2021, [["| 规章 | 0 | 0 | 0 |", "| 规章 | 2 | 0 | 2 |"]]), agency_kind="department"
        ).findings
        if f.code == "T207"
    ]  # overridden: level unknown


@pytest.mark.parametrize(
    "written, fires",
    [
        ("（三）改进措施。2024年，我们将采取以下措施：一是", True),  # a plan dated in the reporting year
        ("（三）改进措施。2024年，我县拟采取以下措施：一是", True),
        ("（三）改进措施。2025年，我们将采取以下措施：一是", False),  # the next year: right
        ("（三）改进措施。2024年，我县进一步采取以下措施：一是", False),  # progress, no plan
        ("（三）改进措施。2024年，我县继续推进以下措施：一是", False),
        ("（三）改进措施。2024年，我县将栏目更新情况纳入考核：一是", False),  # 将 as 把: what was done
    ],
)
def test_a_plan_dated_this_year_is_a_warning_and_progress_is_no_plan(clean_2021, written, fires):
    text = apply_edits(clean_2021, [["（三）改进措施。一是", written]])
    found = _by(check_text(text), "C407")
    assert bool(found) == fires, [f.message for f in found]
    if fires:
        (finding,) = found
        assert finding.severity == "warning" and finding.loc.line == 83
        assert finding.message.endswith("计划应为2025年的工作，请核实年份")


def test_the_review_of_last_years_problems_may_say_what_this_year_did(clean_2021):
    """Section 五's first part reviews last year's problems: "2024年，我县将…" there is what was done."""
    text = apply_edits(
        clean_2021,
        [["（一）上年度问题的改进情况。针对上年度", "（一）上年度问题的改进情况。2024年，我们将继续针对上年度"]],
    )
    assert not _by(check_text(text), "C407")
    split = apply_edits(
        clean_2021,
        [["（一）上年度问题的改进情况。针对上年度", "（一）上年度问题的改进情况\n\n2024年，我们将针对上年度"]],
    )
    assert not _by(check_text(split), "C407")


@pytest.mark.parametrize("word", ["无", "零", "空", "—", "/"])
def test_a_word_where_a_figure_is_due_is_one_not_reported_warning_not_a_missing_row(clean_2021, word):
    """ "| 规章 | 无 | 无 | 无 |": the row is there, its figures are not reported — one T204 for the
    table naming the row, never T202 (表缺少行) nor a T203 error per cell."""
    text = apply_edits(
        clean_2021,
        [
            ["| 规章 | 0 | 0 | 0 |", f"| 规章 | {word} | {word} | {word} |"],
            ["| 行政强制 | 12 | | |", f"| 行政强制 | {word} | | |"],
        ],
    )
    result = check_text(text)
    assert not _by(result, "T202") and not _by(result, "T203")
    (finding,) = _by(result, "T204")
    assert finding.severity == "warning" and finding.loc.line == 24 and finding.section == "二"
    assert (
        f"表有4格未填数字（「{word}」）" in finding.message
        and "「规章」行" in finding.message
        and "「行政强制」行" in finding.message
    )
    assert finding.message.endswith("没有发生的应填0")


def test_the_statutory_wording_of_a_heading_is_as_good_as_the_formats():
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    statutory = apply_edits(
        text,
        [
            ["## 五、存在的主要问题及改进情况", "## 五、政府信息公开工作存在的主要问题及改进情况"],
            [
                "## 四、政府信息公开行政复议、行政诉讼情况",
                "## 四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
            ],
        ],
    )
    assert not _by(check_text(statutory), "S103")
    (other,) = _by(check_text(apply_edits(text, [["## 五、存在的主要问题及改进情况", "## 五、问题与不足"]])), "S103")
    assert other.severity == "info" and other.loc.line == 77


def test_an_empty_section_six_is_a_warning_in_the_2019_format_and_an_error_from_2021():
    old = (EXAMPLES / "clean-2019.md").read_text(encoding="utf-8")
    (finding,) = _by(check_text(apply_edits(old, [["无其他需要报告的事项。", ""]])), "S104")
    assert finding.section == "六" and finding.severity == "warning"
    new = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    (error,) = _by(
        check_text(apply_edits(new, [["本县未收取信息处理费。", ""], ["本报告所列数据可能因四舍五入存在尾差。", ""]])),
        "S104",
    )
    assert error.section == "六" and error.severity == "error"


def test_a_nil_statement_against_the_table_reads_as_a_clerk_would_sign_it(clean_2021):
    text = apply_edits(clean_2021, [["全年因政府信息公开工作被申请行政复议4件，", "全年未发生政府信息公开行政复议，"]])
    (finding,) = [f for f in _by(check_text(text), "C401") if f.section == "四"]
    assert finding.severity == "error" and finding.loc.line == 75
    assert (
        finding.message == "正文称未发生行政复议（「全年未发生政府信息公开行政复议」），但第四部分统计表行政复议为4件"
    )


def test_a_figure_against_the_table_names_the_tables_section_and_its_unit(clean_2021):
    text = apply_edits(clean_2021, [["被提起行政诉讼3件", "被提起行政诉讼2件"]])
    (finding,) = _by(check_text(text), "C401")
    assert finding.message.startswith("正文称行政诉讼2件（「") and finding.message.endswith(
        "但第四部分统计表行政诉讼为3件"
    )


def test_counts_not_stated_speak_to_the_reports_own_format():
    text = (EXAMPLES / "clean-2008.md").read_text(encoding="utf-8")
    result = check_text(
        apply_edits(
            text,
            [
                [
                    "全年共收到政府信息公开申请12件，已全部按期答复，其中予以公开9件，因不属于本机关掌握范围告知申请人3件，无不予公开的情况。",
                    "全年收到政府信息公开申请，均已按期答复。",
                ]
            ],
        )
    )
    (finding,) = _by(result, "N501")
    assert (
        finding.message == "报告未说明收到的政府信息公开申请数量：应写明件数，没有发生的也应明确说明“未收到”或“未发生”"
    )
    assert "统计表" not in finding.message  # a 2016 report has no national table


@pytest.mark.parametrize(
    "said", ["本局发布行政事业性收费信息2条。", "公开价格和收费信息15条。", "落实减免税政策。", "本年度经费保障到位。"]
)
def test_a_2008_fee_topic_is_fees_for_disclosure_not_any_fee(said):
    text = apply_edits(
        (EXAMPLES / "clean-2008.md").read_text(encoding="utf-8"),
        [["本机关未收取政府信息公开费用，也无减免情况。", said], ["## 三、政府信息公开收费及减免情况\n", ""]],
    )
    (finding,) = [f for f in _by(check_text(text), "S106") if f.anchor == "topic/fees"]
    assert finding.severity == "error" and "收费及减免" in finding.message


@pytest.mark.parametrize(
    "said",
    [
        "本机关未收取任何费用。",
        "依申请公开政府信息未收取检索、复制、邮寄费用。",
        "本年度未发生收费情况。",
        "政府信息公开收费为零。",
    ],
)
def test_a_2008_fee_statement_in_its_common_shapes_counts(said):
    text = apply_edits(
        (EXAMPLES / "clean-2008.md").read_text(encoding="utf-8"),
        [["本机关未收取政府信息公开费用，也无减免情况。", said], ["## 三、政府信息公开收费及减免情况\n", ""]],
    )
    assert not [f for f in _by(check_text(text), "S106") if f.anchor == "topic/fees"]


@pytest.mark.parametrize("said", ["本年度未发生收费情况。", "本机关未收取任何费用。", "本年度没有收取信息处理费。"])
def test_a_nil_processing_fee_statement_counts_in_its_common_shapes(clean_2021, said):
    assert not _by(check_text(apply_edits(clean_2021, [["本县未收取信息处理费。", said]])), "N505")
    moved = apply_edits(clean_2021, [["本县未收取信息处理费。", ""], ["（五）监督保障。", f"（五）监督保障。{said}"]])
    assert not _by(check_text(moved), "N505")  # wherever the report says it


def test_a_numbering_shifted_from_one_part_on_is_one_finding(clean_2021):
    """ "一、" right, then "三、" to "七、": one part skipped shifts all after it — one cause."""
    text = clean_2021
    for old, new in (
        ("## 六、其他", "## 七、其他"),
        ("## 五、存在", "## 六、存在"),
        ("## 四、政府信息公开行政", "## 五、政府信息公开行政"),
        ("## 三、收到和处理", "## 四、收到和处理"),
        ("## 二、主动公开", "## 三、主动公开"),
    ):
        text = apply_edits(text, [[old, new]])
    (finding,) = _by(check_text(text), "S102")
    assert finding.loc.line == 19 and finding.section == "二"
    assert finding.message == "从第二部分起编号整体错位：编为「三、」至「七、」，应为「二、」至「六、」"


@pytest.mark.parametrize(
    "said, fires",
    [("依法答复44件", True), ("答复申请人44件", True), ("依法答复45件", False), ("均在15个工作日内答复", False)],
)
def test_a_figure_of_answered_requests_is_held_to_the_outcome_total(clean_2021, said, fires):
    """ "答复…N件" states （七）总计 as "办结" does: a wrong one is a contradiction."""
    found = [
        f
        for f in _by(check_text(apply_edits(clean_2021, [["办结45件", said]])), "C401")
        if f.anchor == "requests/outcome.total/total"
    ]
    assert bool(found) == fires, [f.message for f in found]
    if fires:
        assert found[0].loc.line == 11 and "统计表本年办结申请为45件" in found[0].message


def test_answer_as_an_attribute_counts_something_else(clean_2021):
    text = apply_edits(clean_2021, [["均在法定期限内答复。", "均在法定期限内答复。邀请法律顾问审核答复意见3件。"]])
    assert not _by(check_text(text), "C401")


@pytest.mark.parametrize(
    "said, fires",
    [
        ("现行有效规范性文件40件。", True),  # the year-end stock, stated wrong
        ("截至2024年12月31日，现行有效规范性文件40件。", True),
        ("截至9月底，现行有效规范性文件40件。", False),  # counted to another day
        ("截至目前，现行有效规范性文件40件。", False),
        ("开展规范性文件清理，清理后现行有效规范性文件40件。", False),  # a campaign's count
        ("经集中清理，现行有效规范性文件40件。", False),
        ("清理后集中发布现行有效规范性文件40件。", False),
    ],
)
def test_a_figure_is_held_to_the_table_only_when_it_counts_the_same_thing(clean_2021, said, fires):
    """What the sentence says it counts decides: a clean-up's or another day's count is not the
    table's 现行有效件数 (41), and is never said to contradict it."""
    text = apply_edits(clean_2021, [["按时公开相关信息。", "按时公开相关信息。" + said]])
    found = [f for f in _by(check_text(text), "C401") if f.anchor == "active/normative_docs/in_force"]
    assert bool(found) == fires, [f.message for f in found]
    if fires:
        assert found[0].loc.line == 9 and found[0].severity == "error"


def test_a_part_of_the_requests_received_is_not_their_total(clean_2021):
    text = apply_edits(
        clean_2021, [["全年共收到政府信息公开申请45件，", "全年共收到政府信息公开申请45件，其中受理网上申请30件，"]]
    )
    assert not [f for f in _by(check_text(text), "C401") if f.anchor.startswith("requests/new")]


@pytest.mark.parametrize(
    "said, expected",
    [
        ("全年共公开财政信息300条，其中预算120条（部门预算90条、政府预算30条）、决算150条、“三公”经费30条。", None),
        ("全年共收到申请45件，其中网上申请30件，占全市申请总量的5%。", None),  # a share of another whole
        ("全年共公开信息2316条，其中通知公告1687条，占72.8%。", None),
        (
            "全年共公开信息2316条，其中通知公告1687条，占66%。",
            "「全年共公开信息2316条，其中通知公告1687条，占66%」中，1687条占2316条应为约72.8%，文中写作66%",
        ),
        (
            "全年共公开财政信息300条，其中预算120条（部门预算90条、政府预算30条）、决算200条。",
            "「全年共公开财政信息300条，其中预算120条（部门预算90条、政府预算30条）、决算200条」中，分项120条、200条合计320条，超过总数300条",
        ),
    ],
)
def test_the_words_own_arithmetic_whole_parts_and_shares(clean_2021, said, expected):
    text = apply_edits(clean_2021, [["（四）政府信息公开平台建设。", "（四）政府信息公开平台建设。" + said]])
    found = _by(check_text(text), "C410")
    assert [f.message for f in found] == ([expected] if expected else [])
    if expected:
        assert found[0].loc.line == 15 and found[0].severity == "warning"


@pytest.mark.parametrize(
    "said, severity",
    [
        ("全年共收到政府信息公开申请40件", "error"),
        ("县政府办代表县政府受理政府信息公开申请40件", "warning"),
        ("机关本级收到政府信息公开申请40件", "warning"),
    ],
)
def test_a_figure_a_part_of_the_agency_counted_is_a_warning_when_it_differs(clean_2021, said, severity):
    """The clause names who counted: part of the agency (its office, 本级) may count its part only."""
    text = apply_edits(clean_2021, [["全年共收到政府信息公开申请45件", said]])
    (finding,) = [f for f in _by(check_text(text), "C401") if f.anchor == "requests/new/total"]
    assert finding.severity == severity and finding.loc.line == 11
    assert ("请写明全机关的数字" in finding.message) == (severity == "warning")
