"""The legal texts rules cite (rules/law/texts.yaml): which text a basis names, which articles,
and whether that text was in force for a report's year. `xxgk explain` prints the gist of each
article a basis cites; tests/test_law.py holds every basis to the texts in force for every regime
and year it applies to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from checker.resources import load_yaml, rules_dir

# the report years each regime covers (REGULATION.md §1: the reporting year decides)
REGIME_YEARS = {"regulation-2008": (2008, 2018), "format-2019": (2019, 2020), "format-2021": (2021, 2100)}
REGIME_NAMES = {
    "regulation-2008": "2007年公布的《条例》（2008—2018年度）",
    "format-2019": "2019年版格式（2019、2020年度）",
    "format-2021": "2021年版格式（2021年度起）",
}

_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Text:
    key: str
    names: tuple[str, ...]
    title: str
    first_year: int
    last_year: int | None
    articles: int | None  # None: a notice, cited as a whole
    cited: dict

    def in_force(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


@dataclass(frozen=True)
class Citation:
    text: Text
    article: str | None  # 第六条
    number: int | None  # 6

    @property
    def label(self) -> str:
        return f"{self.text.names[0]}{self.article or ''}"


@cache
def texts() -> tuple[Text, ...]:
    raw = load_yaml((rules_dir() / "law" / "texts.yaml").read_text(encoding="utf-8"))["texts"]
    return tuple(
        Text(
            key,
            tuple(entry["names"]),
            entry["title"],
            entry["years"][0],
            entry["years"][1],
            entry.get("articles"),
            dict(entry.get("cited") or {}),
        )
        for key, entry in raw.items()
    )


@cache
def _name_pattern() -> re.Pattern:
    # the longest names first: 《条例》（2007年公布） before 《条例》
    names = sorted((name for text in texts() for name in text.names), key=len, reverse=True)
    # a notice continued by its number alone: 国办公开办函〔2019〕60号、〔2021〕30号
    return re.compile("|".join(map(re.escape, names)) + r"|〔\d{4}〕\d+号")


_ARTICLE = re.compile(r"第([零一二三四五六七八九十百]+)条")


def chinese_number(text: str) -> int:
    """一百零五 → 105, 五十六 → 56, 十二 → 12."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


def _text_named(name: str, previous: Text | None) -> Text | None:
    for text in texts():
        if name in text.names:
            return text
    if name.startswith("〔") and previous is not None:  # 〔2021〕30号 after 国办公开办函〔2019〕60号
        head = previous.names[0].split("〔")[0]
        return next((t for t in texts() if t.names[0] == head + name), None)
    return None


def citations(basis: str) -> list[Citation]:
    """The texts and articles a basis cites, in order. An article belongs to the text named last
    before it (《条例》第四十九条、第五十条: both of the 条例); a name this catalogue does not know
    is not a citation (the checker's own limits name none)."""
    found: list[Citation] = []
    current: Text | None = None
    events = sorted(
        [(m.start(), "name", m.group(0)) for m in _name_pattern().finditer(basis)]
        + [(m.start(), "article", m.group(0)) for m in _ARTICLE.finditer(basis)]
    )
    for _, kind, value in events:
        if kind == "name":
            named = _text_named(value, current)
            if named is not None:
                current = named
                found.append(Citation(named, None, None))
        elif current is not None:
            found.append(Citation(current, value, chinese_number(value[1:-1])))
    return found


def problems(basis: str, year: int) -> list[str]:
    """What is wrong with a basis for a report of `year`: a text not in force then, an article the
    text does not have, an article whose gist is not on record."""
    out = []
    for citation in citations(basis):
        text = citation.text
        if not text.in_force(year):
            out.append(f"{text.names[0]} 不适用于 {year} 年度的报告")
        if citation.article is None:
            continue
        if text.articles is not None and citation.number > text.articles:
            out.append(f"{text.names[0]} 只有 {text.articles} 条，没有{citation.article}")
        elif citation.article not in text.cited:
            out.append(f"{citation.label} 的要旨未收录在 rules/law/texts.yaml")
    return out


def gists(basis: str) -> list[str]:
    """Each article a basis cites with its gist, once: for `xxgk explain`."""
    seen, out = set(), []
    for citation in citations(basis):
        if citation.article and citation.label not in seen and citation.article in citation.text.cited:
            seen.add(citation.label)
            out.append(f"{citation.label}：{citation.text.cited[citation.article]}")
    return out
