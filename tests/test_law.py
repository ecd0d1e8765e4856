"""Every basis true for the report's regime: each rule's basis, for every regime it applies to
and every report year in that regime, names only texts in force for that year, only articles
those texts have, and only articles whose gist rules/law/texts.yaml records (so each citation was
read against the text). Accuracy is the 条例's 第六条; 第四十七条 (the competent department's
oversight) is cited only through 30号's link to it."""

from __future__ import annotations

import pytest

from checker.engine.law import REGIME_YEARS, chinese_number, citations, gists, problems, texts
from checker.engine.rules import builtin_rules

RULES = builtin_rules()


def _years(rule, regime):
    first, last = REGIME_YEARS[regime]
    years = {first, min(last, 2030)}
    years |= {since for since, _ in rule.basis_since if first <= since <= last}
    years |= {since - 1 for since, _ in rule.basis_since if first <= since - 1 <= last}
    return sorted(years)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_basis_cites_only_texts_and_articles_in_force(rule):
    for regime in rule.regimes:
        for year in _years(rule, regime):
            basis = rule.basis_for(regime, year)
            assert problems(basis, year) == [], (regime, year, basis)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_oversight_is_never_cited_as_the_accuracy_duty(rule):
    for regime in rule.regimes:
        for year in _years(rule, regime):
            cited = {(c.text.key, c.article) for c in citations(rule.basis_for(regime, year))}
            if ("regulation-2019", "第四十七条") in cited:
                assert ("notice-2021-30", None) in cited, (regime, rule.basis_for(regime, year))
            if "准确" in rule.basis_for(regime, year) and rule.basis_for(regime, year).startswith("《"):
                assert any(article == "第六条" for _, article in cited), (regime, rule.basis_for(regime, year))


def test_a_2008_era_report_gets_the_2007_texts_own_articles():
    from checker.facts import Overrides
    from checker.pipeline import check_bytes

    text = (
        "某县统计局2015年政府信息公开工作年度报告\n\n一、概述\n\n本年度我局主动公开政府信息120条。"
        "本年度未收到政府信息公开申请，未发生行政复议和行政诉讼。\n\n二、存在的主要问题及改进情况\n\n"
        "公开的及时性有待提高。\n"
    )
    result = check_bytes(text.encode(), "r.txt", Overrides())
    assert result.facts.regime == "regulation-2008"
    (fee,) = [f for f in result.findings if f.code == "S106" and "收费" in f.message]
    assert "《条例》（2007年公布）第三十二条" in fee.message and fee.basis.startswith(
        "《条例》（2007年公布）第三十二条"
    )
    for finding in result.findings:
        assert "60号" not in finding.basis and "30号" not in finding.basis, (finding.code, finding.basis)
        assert problems(finding.basis, 2015) == [], (finding.code, finding.basis)


def test_the_legislation_law_is_cited_by_the_report_year(clean_2021):
    from conftest import apply_edits, check_text

    defective = apply_edits(clean_2021, [["| 规章 | 0 | 0 | 0 |", "| 规章 | 2 | 0 | 2 |"]])
    for year, article in ((2022, "第八十二条"), (2024, "第九十三条")):
        text = defective.replace("2024年政府信息公开", f"{year}年政府信息公开", 1)
        (finding,) = [f for f in check_text(text).findings if f.code == "T207"]
        assert article in finding.basis, (year, finding.basis)


def test_citations_are_read_as_a_supervisor_reads_them():
    found = citations(
        "《条例》第四十九条、第五十条；国办公开办函〔2019〕60号、〔2021〕30号；《条例》（2007年公布）第三十二条"
    )
    assert [(c.text.key, c.article) for c in found] == [
        ("regulation-2019", None),
        ("regulation-2019", "第四十九条"),
        ("regulation-2019", "第五十条"),
        ("notice-2019-60", None),
        ("notice-2021-30", None),
        ("regulation-2007", None),
        ("regulation-2007", "第三十二条"),
    ]
    assert [chinese_number(n) for n in ("六", "十", "十二", "四十七", "一百零五", "一百二十")] == [
        6,
        10,
        12,
        47,
        105,
        120,
    ]
    # today's 第三十二条 is about consulting third parties: a 2015 report cites the 2007 text's
    assert problems("《条例》第三十二条", 2015) and not problems(
        "《条例》（2007年公布）第三十二条（年度报告的内容）", 2015
    )
    assert problems("《条例》（2007年公布）第三十九条", 2015)  # the 2007 text has 38 articles
    assert problems("国办公开办函〔2021〕30号", 2020) and not problems("国办公开办函〔2019〕60号", 2020)
    assert gists("《条例》第六条；第六条")[0].startswith("《条例》第六条：「行政机关应当及时、准确")


def test_every_text_has_its_title_and_a_gist_for_each_article_it_lists():
    for text in texts():
        assert text.title.startswith(("《", "国办")) and text.names
        for article in text.cited:
            assert text.articles is None or chinese_number(article[1:-1]) <= text.articles, (text.key, article)
