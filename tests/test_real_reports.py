"""The acceptance checks of the foundation on real reports (../shared), and no crash on any."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.pipeline import check_path
from conftest import codes, shared_dir


def _seed(prefix: str):
    (path,) = shared_dir("seeds").glob(f"{prefix}_*.txt")
    return check_path(path)


def _by_code(result, code):
    return [f for f in result.findings if f.code == code]


def test_seed_000_old_regime_without_fees():
    result = _seed("000")
    assert result.facts.regime == "regulation-2008"
    assert any("收费及减免" in f.message for f in _by_code(result, "S106"))
    assert "N501" not in codes(result)  # it says 未收到 applications, appeals and suits


def test_seed_001_2019_format_traditional_pinyin_no_title_lost_tables():
    result = _seed("001")
    assert result.facts.regime == "format-2019"
    assert {"Q701", "Q702", "S105"} <= set(codes(result))
    assert sorted(f.section for f in _by_code(result, "T201")) == ["三", "二", "四"]


def test_seed_002_chinese_numeral_date_on_time():
    result = _seed("002")
    assert result.facts.published == dt.date(2012, 3, 16)
    assert "D601" not in codes(result)
    assert "S106" in codes(result)


def test_seed_003_page_residue_publication_and_garbled_date():
    result = _seed("003")
    assert "Q703" in codes(result)
    assert result.facts.published == dt.date(2019, 3, 14)
    assert any("1015日" in f.message for f in _by_code(result, "D602"))


def test_seed_004_title_joined_count_not_stated_fees_present():
    result = _seed("004")
    assert result.report.title.text == "张店区体育局2017年政府信息公开工作年度报告"
    assert [f.message for f in _by_code(result, "N501") if "申请" in f.message]
    assert "S106" not in codes(result)


def _corpus():
    try:
        files = sorted(p for p in shared_dir("corpus").iterdir() if p.suffix != ".tsv")
        files += sorted(shared_dir("seeds").glob("*.txt"))
    except pytest.skip.Exception:
        return []
    return files


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_every_real_report_runs_without_a_crash(path):
    result = check_path(path)
    assert result.facts is not None, [f.message for f in result.findings]
    assert not any("内部错误" in f.message for f in result.findings)
