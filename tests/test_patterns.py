"""patterns.guarded puts a lookahead for a pattern's first characters in front of it: every search
and every finditer must give the same matches (start, end, groups) as the pattern itself, on
patterns built the way the vocabularies write them (literals, classes, \\d, lookbehinds, optional
and repeated groups, alternations) and texts over the same characters."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.patterns import distributed, first_characters, guarded, joinable, within_lines

BUDGET = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = "申请公开不予部分件12０，。a-"
ATOMS = [
    "申请",
    "公开",
    "不予",
    "予以公开",
    "部分",
    "件",
    r"\d+",
    r"\d",
    "[不部]",
    "[，。]",
    "[^，。]",
    ".",
    "a",
    r"\s*",
    "[0-9a]",
    "-",
    r"(?<![不部])",
    r"(?<!\d)",
    r"(?=件)",
    r"(?!a)",
    "^",
    r"\b",
    "(?P<n>\\d+)",
]


@st.composite
def vocabulary_pattern(draw, depth=0):
    def atom():
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            inner = draw(vocabulary_pattern(depth=depth + 1)).replace("(?P<n>", "(?:")
            return f"(?:{inner})" + draw(st.sampled_from(["", "?", "*", "+", "{0,3}", "{1,2}?"]))
        return draw(st.sampled_from(ATOMS))

    source = "|".join("".join(atom() for _ in range(draw(st.integers(1, 4)))) for _ in range(draw(st.integers(1, 3))))
    first, named, rest = source.partition("(?P<n>")
    return first + named + rest.replace("(?P<n>", "(?:")  # a group name may stand once


@BUDGET
@given(vocabulary_pattern(), st.lists(st.text(ALPHABET, max_size=14), min_size=1, max_size=4))
def test_guarded_patterns_match_exactly_as_the_pattern(source, texts):
    plain = re.compile(source)
    fast = guarded(plain)
    for text in texts:
        expected, got = plain.search(text), fast.search(text)
        assert (expected and (expected.span(), expected.groups())) == (got and (got.span(), got.groups()))
        assert [(m.span(), m.groups()) for m in plain.finditer(text)] == [
            (m.span(), m.groups()) for m in fast.finditer(text)
        ]


def test_a_guard_is_the_characters_a_match_starts_with():
    assert first_characters(re.compile(r"(?<![不部])予以公开|部分公开\d*")) == "[予部]"
    assert first_characters(re.compile(r"(?:未|没有)[^，]{0,8}收费|\d+元")) == r"[\d未没]"
    assert guarded(re.compile(r"(?<![不部])予以公开|部分公开")).pattern == r"(?=[予部])(?:(?<![不部])予以公开|部分公开)"


def test_no_guard_where_a_match_can_start_anywhere_or_be_empty_or_the_engine_skips_by_itself():
    for source in (
        r"[^，。]+申请",
        r".件",
        r"\D|a",
        r"(?:申请)?",
        r"a*",
        r"(?i)abc|d",
        r"(?i:a)b|c",
        r"申请|复议",
        r"申请\d+件",
        r"\d+件",
        r"(?:收到|受理)?\d+件",
    ):
        assert guarded(re.compile(source)).pattern == source


@BUDGET
@given(
    st.lists(
        st.sampled_from(["申请", "依申请", "公开", "不予", "部分", "a", "12"]), min_size=1, max_size=4, unique=True
    ),
    vocabulary_pattern(),
    st.lists(st.text(ALPHABET, max_size=14), min_size=1, max_size=4),
)
def test_a_group_of_words_written_out_word_by_word_matches_as_the_phrasing(words, rest, texts):
    phrasing = "(?:" + "|".join(words) + ")" + rest.replace("(?P<n>", "(?:")
    plain = re.compile(phrasing)
    written_out = re.compile("|".join(f"(?:{p})" for p in distributed(phrasing)))
    for text in texts:
        expected, got = plain.search(text), written_out.search(text)
        assert (expected and expected.span()) == (got and got.span())
        assert [m.span() for m in plain.finditer(text)] == [m.span() for m in written_out.finditer(text)]


def test_only_a_leading_group_of_plain_words_is_written_out():
    assert distributed("(?:依申请|申请人)[^，。；]{0,10}收费") == [
        "依申请[^，。；]{0,10}收费",
        "申请人[^，。；]{0,10}收费",
    ]
    for kept in ("(?:未|没有)?收费", "(?:a|b)+c", "(?:a|b)(x)", r"(?:a\.|b)c", "(?:a|b)c|d", "信息处理费"):
        assert distributed(kept) == [kept]


LOOKING = ATOMS + [
    r"(?![^，])",
    r"(?<![^a])",
    r"(?!\s)",
    r"(?<=\n)",
    r"$",
    r"\Z",
    r"(?=[^件]{2})",
    r"(?![件a]{2})",
    r"(?<!\n)",
    r"\n",
    r"\S",
    r"(?>申请)",
]


@st.composite
def looking_pattern(draw):
    first, named, rest = "".join(draw(st.lists(st.sampled_from(LOOKING), min_size=1, max_size=4))).partition("(?P<n>")
    return first + named + rest.replace("(?P<n>", "(?:")  # a group name may stand once


@BUDGET
@given(
    st.one_of(vocabulary_pattern(), looking_pattern()),
    st.lists(
        st.lists(
            st.sampled_from(
                ["申请", "公开", "不予", "予以公开", "部分", "件", "1", "12", "，", "。", "a", "-", "\n", " "]
            ),
            max_size=5,
        ).map("".join),
        min_size=1,
        max_size=4,
    ),
)
def test_a_joinable_pattern_found_in_no_joined_text_is_in_none_of_the_texts(source, texts):
    pattern = re.compile(source)
    if joinable(pattern) and pattern.search("\n".join(texts)) is None:
        assert all(pattern.search(text) is None for text in texts), (source, texts)


def test_joinable_refuses_what_looks_past_a_text_s_ends():
    for source in (
        r"^申请",
        r"件$",
        r"\A件",
        r"a(?![^，])",
        r"(?<!\s)a",
        r"(?>ab)",
        r"a++",
        r"(?s:a.)",
        r"(a)(?!\1)",
        r"a(?!b(?=[^x]))",
    ):
        assert not joinable(re.compile(source)), source
    for source in (r"([的是])\1", r"(?<![不部])予以公开", r"a(?!\d)", r"a\b", r"【[^】]{0,200}】", r"(?=[^件])a"):
        assert joinable(re.compile(source)), source


@BUDGET
@given(
    st.one_of(vocabulary_pattern(), looking_pattern()),
    st.sampled_from(["\n", "，", "。；"]),
    st.lists(
        st.lists(
            st.sampled_from(
                ["申请", "公开", "不予", "予以公开", "部分", "件", "1", "12", "，", "。", "a", "-", " ", "\n"]
            ),
            max_size=5,
        ).map("".join),
        min_size=1,
        max_size=4,
    ),
)
def test_a_pattern_within_lines_is_found_in_the_joined_text_exactly_when_in_one_text(source, separators, texts):
    pattern = re.compile(source)
    texts = [re.sub(f"[{separators}]", "", text) for text in texts]  # texts split at the separators hold none
    joined = separators[0].join(texts)
    if joinable(pattern, separators) and pattern.search(joined) is None:
        assert not any(pattern.search(text) for text in texts), (source, texts)
    if within_lines(pattern, separators):
        assert (pattern.search(joined) is not None) == any(pattern.search(text) for text in texts), (source, texts)
        # and each match lies inside one text
        assert all(not set(separators) & set(m.group(0)) for m in pattern.finditer(joined)), (source, texts)


def test_within_lines_refuses_what_can_match_a_line_break():
    for source in (r"[^，]申请", r"a\s*b", r"a(?=\s)", r"(?<=[^件])a", r"(?s)a.", r"^a"):
        assert not within_lines(re.compile(source)), source
    for source in (r"申请[^，。\n]{0,5}件", r"(?<![不部])予以公开", r"a(?=[件])", r"考核|评议", r"a."):
        assert within_lines(re.compile(source)), source
