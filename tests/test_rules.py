"""Every rule's own pass and fail examples, and the rule loader's error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.engine.rules import RuleError, builtin_rules, load_file, load_rules
from conftest import EXAMPLES, apply_edits, check_text, codes, every_finding

EXAMPLE_CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{example.verdict}-{i}")
    for rule in builtin_rules()
    for i, example in enumerate(rule.examples)
]


WORD_ONLY = {"revision", "comment"}  # what only a Word file holds: tested in tests/test_word.py


def test_every_rule_has_a_fail_example_or_is_an_input_rule():
    for rule in builtin_rules():
        # input rules fire on files, cross-report rules on a batch (tests/test_audit.py), rules
        # on Word's revisions and comments on Word files (tests/test_word.py)
        word_only = set(rule.raw_params.get("kinds") or ()) <= WORD_ONLY and rule.raw_params.get("kinds")
        if (
            not rule.code.startswith("E")
            and rule.check
            not in ("carry-over", "stock-flow", "year-jump", "similar-text", "roster-missing", "roster-aggregate")
            and not word_only
        ):
            assert any(e.verdict == "fail" for e in rule.examples), rule.code
            assert any(e.verdict == "pass" for e in rule.examples), rule.code


@pytest.mark.parametrize("rule,example", EXAMPLE_CASES)
def test_rule_examples(rule, example):
    if example.base:
        text = apply_edits((EXAMPLES / example.base).read_text(encoding="utf-8"), example.edits)
    else:
        text = example.text
    result = check_text(text, enable=(rule.code,) if rule.opt_in else (), **dict(example.overrides))
    fired = rule.code in {f.code for f in every_finding(result)}  # as root, or under the root of its cause
    assert fired == (example.verdict == "fail"), [f"{f.code} {f.message}" for f in result.findings]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
- code: N599
  name: custom-rule
  title: 自定义
  severity: warning
  basis: 本地规定
  check: topics-covered
  params: {topics: [{name: x, label: 某事项, patterns: [某事项]}]}
  message: "未涉及{topic}"
"""


def test_a_user_rule_pack_loads_like_builtin_rules(tmp_path):
    rules = load_rules((_write(tmp_path, GOOD),))
    custom = next(r for r in rules if r.code == "N599")
    result = check_text("# 某局2023年政府信息公开工作年度报告\n一、总体情况\n内容。\n")
    assert custom.applies("format-2021", "department")
    assert len(rules) == len(builtin_rules()) + 1
    assert result.facts.regime == "format-2021"


@pytest.mark.parametrize(
    "change,words",
    [
        (("severity: warning", "severity: fatal"), "severity"),
        (("check: topics-covered", "check: no-such-check"), "no-such-check"),
        (("code: N599", "code: X1"), "code"),
        (('  message: "未涉及{topic}"\n', ""), "message"),
        (("  basis: 本地规定\n", "  basis: 本地规定\n  colour: red\n"), "colour"),
        (("params: {topics: [{name: x, label: 某事项, patterns: [某事项]}]}", "params: {}"), "topics"),
        (("- code: N599", "- code: N599\n  regimes: [format-2030]"), "format-2030"),
    ],
)
def test_a_bad_rule_file_is_rejected_naming_file_and_field(tmp_path, change, words):
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleError) as error:
        load_file(path)
    assert str(path) in str(error.value) and words in str(error.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = _write(tmp_path, "- code: N599\n  name: [unclosed\n")
    with pytest.raises(RuleError) as error:
        load_file(path)
    assert "YAML" in str(error.value) and "行" in str(error.value)


def test_duplicate_codes_are_rejected(tmp_path):
    path = _write(tmp_path, GOOD.replace("N599", "A301"))
    with pytest.raises(RuleError) as error:
        load_rules((path,))
    assert "A301" in str(error.value) and "重复" in str(error.value)


def test_lookalike_place_keeps_real_names_and_common_words():
    """Words ending in a place suffix that are no place (全县, 城区, 大区 …) and real names with a
    confusable character are never flagged; a misread name is, at its own position."""
    from checker.engine.checks.text import _misread_place

    for text in (
        "全县各单位",
        "本市城区和山区",
        "大区经理",
        "在市区、县区、园区",
        "赴睢宁县、沭阳县、亳州市和荥阳市",
        "淮安市淮安区",
        "汨罗市与溧阳市",
        "己经在本区",
    ):
        assert all(_misread_place(text, i) is None for i in range(len(text))), text
    assert _misread_place("赴雎宁县学习", 1) == ("雎宁县", "睢宁县", 1)
    assert _misread_place("在毫州市", 1) == ("毫州市", "亳州市", 1)


def test_the_check_types_in_the_authoring_guide_are_generated_and_current():
    from checker.formats.rules_doc import check_types_table

    guide = (Path(__file__).parent.parent / "docs" / "rule-authoring.md").read_text(encoding="utf-8")
    section = guide.split("<!-- check-types:start -->\n", 1)[1].split("<!-- check-types:end -->", 1)[0]
    assert section == check_types_table(builtin_rules()), (
        "regenerate: xxgk rules --format check-types (between the markers)"
    )


@pytest.mark.parametrize(
    "params, expected",
    [
        ("{sectoin: 一, topics: [{name: x, label: 某事, patterns: [某事]}]}", "是否想写「section」"),
        ("{section: 一}", "缺少参数 topics"),
        ("{topics: 某事}", "参数 topics 应为列表"),
    ],
)
def test_params_are_validated_against_the_check_types_schema(tmp_path, params, expected):
    pack = _write(
        tmp_path,
        GOOD.replace("check: topics-covered", "check: section-covers").replace(
            "params: {topics: [{name: x, label: 某事项, patterns: [某事项]}]}", f"params: {params}"
        ),
    )
    with pytest.raises(RuleError, match=expected):
        load_rules((pack,))


def test_the_rule_authoring_example_loads_and_its_examples_hold(tmp_path):
    import re

    guide = (Path(__file__).parent.parent / "docs" / "rule-authoring.md").read_text(encoding="utf-8")
    rules = load_rules((_write(tmp_path, re.search(r"```yaml\n(.*?)```", guide, re.S).group(1)),))
    rule = next(r for r in rules if r.code == "N901")
    from checker.facts import Overrides
    from checker.pipeline import check_bytes

    for example in rule.examples:
        text = apply_edits((EXAMPLES / example.base).read_text(encoding="utf-8"), example.edits)
        fired = "N901" in codes(check_bytes(text.encode("utf-8"), "r.md", Overrides(), rules))
        assert fired == (example.verdict == "fail")


@pytest.mark.parametrize(
    "edit, expected",
    [
        (("section: 二", "section: 七"), "section 应为 一 至 六"),
        (("{key: rules, label: 规章, match: '^规章$'}", "{key: Rules!, label: 规章}"), "key"),
        (("match: '^规章$'", "match: '(规章'"), "的 match：正则表达式「\\(规章」无效"),
        (
            (
                "- [[new, carried_over], [outcome.total, carried_forward]]",
                "- [[new, carried_oevr], [outcome.total, carried_forward]]",
            ),
            "carried_oevr",
        ),
        (("    section: 二\n", "    section: 二\n    colour: red\n"), "未知的键 colour"),
    ],
)
def test_layouts_are_validated_against_their_schema(edit, expected):
    from checker.facts.layouts import LayoutError, load_layout
    from checker.resources import rules_dir

    text = (rules_dir() / "tables" / "format-2021.yaml").read_text(encoding="utf-8")
    assert text.count(edit[0]) >= 1, edit[0]
    with pytest.raises(LayoutError, match=expected):
        load_layout(text.replace(edit[0], edit[1], 1), "my-layout.yaml")


FAIL_CASES = [
    pytest.param(rule, i, example, id=f"{rule.code}-{i}")
    for rule in builtin_rules()
    for i, example in enumerate(rule.examples)
    if example.verdict == "fail"
]


@pytest.mark.parametrize("rule,index,example", FAIL_CASES)
def test_each_fail_example_points_at_its_line_and_anchor(rule, index, example):
    """Not only that the code fired: the finding stands at the line and with the anchor the
    example itself declares (`at: {line, anchor}` in the rule's YAML, as sqlfluff's cases do)."""
    assert example.at is not None, f"{rule.code} 的第 {index + 1} 个示例缺少 at: {{line: …, anchor: …}}"
    text = (
        apply_edits((EXAMPLES / example.base).read_text(encoding="utf-8"), example.edits)
        if example.base
        else example.text
    )
    found = [
        (f.loc.line, f.anchor)
        for f in every_finding(check_text(text, enable=(rule.code,) if rule.opt_in else (), **dict(example.overrides)))
        if f.code == rule.code
    ]
    assert example.at in found, found


def _local_pack(tmp_path, layout_edit=None) -> Path:
    """A rule pack with a local variant of table 二 (a row 其他主动公开文件) and a rule on that row."""
    from checker.resources import rules_dir

    pack = tmp_path / "pack"
    (pack / "tables").mkdir(parents=True)
    layout = (
        (rules_dir() / "tables" / "format-2021.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "          - {key: normative_docs, label: 行政规范性文件, match: '规范性文件'}",
            "          - {key: normative_docs, label: 行政规范性文件, match: '规范性文件'}\n"
            "          - {key: other_docs, label: 其他主动公开文件, match: '其他主动公开文件'}",
            1,
        )
    )
    if layout_edit:
        layout = layout.replace(*layout_edit)
    (pack / "tables" / "format-2021.yaml").write_text(layout, encoding="utf-8")
    (pack / "local.yaml").write_text(
        """
- code: T901
  name: other-docs-in-force
  title: 其他主动公开文件现行有效件数少于本年制发件数
  severity: warning
  regimes: [format-2021]
  basis: 本省政务公开年报模板（增列“其他主动公开文件”）
  check: equation
  params: {table: active, each: row, over: [other_docs], expr: "in_force >= issued"}
  message: "{table}表{where}：现行有效 {left} 件少于本年制发 {right} 件"
""",
        encoding="utf-8",
    )
    return pack


def test_a_rule_pack_brings_its_own_table_layout(tmp_path, clean_2021):
    from checker.cli import app
    from typer.testing import CliRunner

    pack = _local_pack(tmp_path)
    report = tmp_path / "r.md"
    report.write_text(
        clean_2021.replace(
            "| 行政规范性文件 | 6 | 2 | 41 |", "| 行政规范性文件 | 6 | 2 | 41 |\n| 其他主动公开文件 | 5 | 0 | 3 |"
        ),
        encoding="utf-8",
    )
    run = CliRunner().invoke(app, ["check", str(report), "--rules", str(pack), "--format", "json"])
    (finding,) = [f for f in json.loads(run.stdout)["documents"][0]["findings"] if f["code"] == "T901"]
    assert finding["anchor"] == "active/other_docs/in_force" and finding["line"] == 26
    plain = CliRunner().invoke(app, ["check", str(report), "--format", "json"])
    assert not [f for f in json.loads(plain.stdout)["documents"][0]["findings"] if f["code"].startswith("T9")]


def test_a_broken_local_layout_exits_2_naming_the_file(tmp_path):
    from checker.cli import app
    from typer.testing import CliRunner

    pack = _local_pack(tmp_path, ("section: 二", "section: 九"))
    run = CliRunner().invoke(app, ["check", str(EXAMPLES / "clean-2021.md"), "--rules", str(pack)])
    assert run.exit_code == 2 and "format-2021.yaml" in run.output and "section" in run.output


def test_an_opt_in_rule_runs_only_where_named(tmp_path):
    """N511 (a province's own list for section 六) is off by default, under ALL, a family and a
    prefix; a configuration that names it by code or name turns it on."""
    text = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    assert "N511" not in codes(check_text(text))
    from checker.engine.rules import builtin_rules
    from checker.gate.select import select

    rule = next(r for r in builtin_rules() if r.code == "N511")
    assert rule.opt_in
    for selectors in (["ALL"], ["N"], ["N5"], ["content"]):
        assert "N511" not in {r.code for r in select(builtin_rules(), selectors, [], [])}, selectors
    for selectors in (["N511"], ["section-six-local-items"]):
        assert "N511" in {r.code for r in select(builtin_rules(), None, selectors, [])}, selectors
    found = [f for f in check_text(text, enable=("N511",)).findings if f.code == "N511"]
    assert [(f.loc.line, f.anchor) for f in found] == [(85, "topic/key_points+proposals")]
    (tmp_path / "xxgk.toml").write_text('extend-select = ["N511"]\n', encoding="utf-8")
    (tmp_path / "report.md").write_text(text, encoding="utf-8")
    from conftest import run_cli

    shown = run_cli("check", "report.md", cwd=tmp_path)
    assert b"N511" in shown.stdout and shown.returncode == 0
    assert b"N511" not in run_cli("check", str(tmp_path / "report.md"), "--isolated").stdout
