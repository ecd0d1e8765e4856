"""Regular expressions made quicker to search without changing what they match.

Python's engine skips ahead to where a match can start when the pattern opens with a literal, a
class, or branches that each open with a literal. It cannot when the branches open with groups of
alternatives or with a lookbehind ("(?<![不部])予以公开"): then every branch is tried at every
position of the text, and the vocabularies' gates are such alternations of dozens of phrasings,
searched in every clause of every report. For those (and only those: a lookahead in front of a
pattern the engine skips through by itself makes it several times slower), `guarded` works out
from the parsed pattern the characters any match must start with and states them as a lookahead
in front. The matches — where they start and end, their groups — are the same, since no match
starts elsewhere."""

from __future__ import annotations

import re
from functools import lru_cache
from re import _parser

MAX_PIECES = 64  # a first-character class longer than this filters too little to be worth it

_ZERO_WIDTH = (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT)
_REPEATS = tuple(
    getattr(_parser, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_parser, name)
)


_CATEGORIES = {_parser.CATEGORY_DIGIT: r"\d", _parser.CATEGORY_SPACE: r"\s", _parser.CATEGORY_WORD: r"\w"}


def _first_of_sequence(items) -> tuple[set, bool] | None:
    """What a match of the sequence can start with — pieces of a character class: a character
    ("予"), a range ("0-9") or a category ("\\d") — and whether it can match the empty string;
    None when it can start with nearly any character (., [^…], \\D) or is not understood."""
    pieces: set = set()
    for op, value in items:
        first = _first_of_item(op, value)
        if first is None:
            return None
        found, nullable = first
        pieces |= found
        if not nullable:
            return pieces, False
    return pieces, True


def _first_of_item(op, value) -> tuple[set, bool] | None:
    if op == _parser.LITERAL:
        return {re.escape(chr(value))}, False
    if op == _parser.IN:
        pieces = set()
        for kind, item in value:
            if kind == _parser.LITERAL:
                pieces.add(re.escape(chr(item)))
            elif kind == _parser.RANGE:
                pieces.add(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
            elif kind == _parser.CATEGORY and item in _CATEGORIES:
                pieces.add(_CATEGORIES[item])
            else:  # a negated class or category ([^…], \D): nearly any character
                return None
        return pieces, False
    if op in _ZERO_WIDTH:  # a lookaround or anchor consumes nothing: the match starts after it
        return set(), True
    if op == _parser.BRANCH:
        pieces, nullable = set(), False
        for branch in value[1]:
            first = _first_of_sequence(branch)
            if first is None:
                return None
            pieces |= first[0]
            nullable = nullable or first[1]
        return pieces, nullable
    if op == _parser.SUBPATTERN:
        group, add_flags, del_flags, body = value
        if add_flags or del_flags:  # (?i:…) and the like change what a character matches
            return None
        return _first_of_sequence(body)
    if op in _REPEATS:
        low, _, body = value
        first = _first_of_sequence(body)
        if first is None:
            return None
        return first[0], first[1] or low == 0
    if op == getattr(_parser, "ATOMIC_GROUP", None):
        return _first_of_sequence(value)
    return None  # ., NOT_LITERAL, group references …


def _opens_with_choice(items) -> bool:
    """Whether the pattern opens with alternatives or a lookaround, which the engine tries one by
    one at every position (a pattern opening with one character or class fails there at once)."""
    while items and items[0][0] == _parser.SUBPATTERN:
        items = items[0][1][-1]
    return bool(items) and items[0][0] in (_parser.BRANCH, _parser.ASSERT, _parser.ASSERT_NOT)


def _engine_skips(parsed, flags: int) -> bool:
    """Whether the engine works out a literal prefix or a first-character set of its own (a
    pattern opening with a literal, a class, or branches that each open with a literal): then it
    already skips ahead, faster than a lookahead would let it. When this cannot be told (re's
    internals differ), it is assumed to."""
    try:
        from re import _compiler

        return bool(_compiler._get_literal_prefix(parsed, flags)[0] or _compiler._get_charset_prefix(parsed, flags))
    except Exception:  # noqa: BLE001 - another Python's internals: leave the pattern as it is
        return True


def first_characters(compiled: re.Pattern) -> str | None:
    """A character class every match of the pattern starts with ("[上不予共…]"), or None when
    there is no such class worth testing: a match can start anywhere or be empty, or the engine
    finds where matches can start by itself."""
    return _first_characters(compiled.pattern, compiled.flags)


def _first_characters(source, flags: int, parsed=None) -> str | None:
    if flags & (re.IGNORECASE | re.VERBOSE) or not isinstance(source, str):
        return None
    try:
        parsed = _parser.parse(source, flags) if parsed is None else parsed
        if not _opens_with_choice(parsed) or _engine_skips(parsed, flags):
            return None
        first = _first_of_sequence(parsed)
    except (re.error, RecursionError):
        return None
    if first is None or first[1] or not first[0] or len(first[0]) > MAX_PIECES:
        return None
    return "[" + "".join(sorted(first[0])) + "]"


_CATEGORY_TESTS = {
    getattr(_parser, f"CATEGORY_{name}"): re.compile(test)
    for name, test in (
        ("DIGIT", r"\d"),
        ("NOT_DIGIT", r"\D"),
        ("SPACE", r"\s"),
        ("NOT_SPACE", r"\S"),
        ("WORD", r"\w"),
        ("NOT_WORD", r"\W"),
        ("LINEBREAK", r"\n"),
        ("NOT_LINEBREAK", r"[^\n]"),
    )
}
_SAFE_ANCHORS = {
    _parser.AT_BOUNDARY,
    _parser.AT_NON_BOUNDARY,
    getattr(_parser, "AT_UNI_BOUNDARY", None),
    getattr(_parser, "AT_UNI_NON_BOUNDARY", None),
    getattr(_parser, "AT_LOC_BOUNDARY", None),
    getattr(_parser, "AT_LOC_NON_BOUNDARY", None),
} - {None}


@lru_cache(maxsize=2048)  # asked for the same few patterns on every report
def joinable(compiled: re.Pattern, separators: str = "\n") -> bool:
    """Whether a search of several texts joined by line breaks (or any of `separators`) finds a
    match whenever one of the texts has a match of its own: so that one search of the joined
    text can tell that none has (checks run over a report's paragraphs one by one; most patterns
    match in none, and the call on each paragraph costs more than searching it).

    A match inside one text reads the same characters in the joined text. What can tell them
    apart is what looks past its ends: anchors (^, $, \\A, \\Z: \\b sees a line break as it sees
    the end of a text) and a negative lookaround that holds at an end because nothing is there,
    but fails on the separator or the next text. So: no such anchor, no negative lookaround
    that can match a separator, no atomic group or possessive repeat (which may commit to a
    longer match and skip the one the text has)."""
    if any(c.isalnum() or c == "_" for c in separators):
        return False  # (a separator that is a word character would move \\b)
    parsed = _parsed(compiled)
    return parsed is not None and _joinable(parsed, _Reach(separators, bool(compiled.flags & re.DOTALL)))


@lru_cache(maxsize=2048)
def _parsed(compiled: re.Pattern):
    """The parse of a pattern, made once for joinable and within_lines; None if it has none."""
    if not isinstance(compiled.pattern, str):
        return None
    try:
        return _parser.parse(compiled.pattern, compiled.flags)
    except (re.error, RecursionError):
        return None


class _Reach:
    """Which separators a piece of a parsed pattern can match."""

    def __init__(self, separators: str, dotall: bool):
        self.codes = [ord(c) for c in separators]
        self.dotall = dotall

    def in_class(self, items, code: int) -> bool:
        negated = bool(items) and items[0][0] == _parser.NEGATE
        has = any(
            (kind == _parser.LITERAL and item == code)
            or (kind == _parser.RANGE and item[0] <= code <= item[1])
            or (
                kind == _parser.CATEGORY and (item not in _CATEGORY_TESTS or _CATEGORY_TESTS[item].fullmatch(chr(code)))
            )
            for kind, item in items
        )
        return has != negated

    def matches(self, op, value) -> bool:
        """Whether one consuming item can match a separator (unknown: yes)."""
        if op == _parser.LITERAL:
            return value in self.codes
        if op == _parser.NOT_LITERAL:
            return any(code != value for code in self.codes)
        if op == _parser.ANY:
            return self.dotall or any(code != 10 for code in self.codes)
        if op == _parser.IN:
            return any(self.in_class(value, code) for code in self.codes)
        return True


def _joinable(items, reach: _Reach) -> bool:
    for op, value in items:
        if op == _parser.AT:
            if value not in _SAFE_ANCHORS:
                return False
        elif op == _parser.ASSERT_NOT:
            if _breaks(value[1], reach, looking=True):
                return False
        elif op == _parser.ASSERT:
            if not _joinable(value[1], reach):
                return False
        elif op == _parser.BRANCH:
            if not all(_joinable(branch, reach) for branch in value[1]):
                return False
        elif op == _parser.SUBPATTERN:
            if value[1] or value[2] or not _joinable(value[3], reach):  # (?s:…) and the like: not followed
                return False
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT):
            if not _joinable(value[2], reach):
                return False
        elif op == getattr(_parser, "GROUPREF_EXISTS", None):
            if not all(_joinable(part, reach) for part in value[1:] if part is not None):
                return False
        elif op in (getattr(_parser, "ATOMIC_GROUP", None), getattr(_parser, "POSSESSIVE_REPEAT", None)):
            return False
    return True


@lru_cache(maxsize=2048)
def within_lines(compiled: re.Pattern, separators: str = "\n") -> bool:
    """Whether a search of texts joined by line breaks (or any of `separators`) finds a match
    exactly when one of the texts has one, and each match lies inside one text: joinable, and
    nothing in the pattern, its lookarounds included, can match a separator."""
    if not joinable(compiled, separators):
        return False
    return not _breaks(_parsed(compiled), _Reach(separators, bool(compiled.flags & re.DOTALL)), looking=True)


def _breaks(items, reach: _Reach, looking: bool = False) -> bool:
    """Whether the (sub)pattern can match a separator anywhere (unknown: yes); `looking`: in
    its lookarounds too."""
    for op, value in items:
        if op in (_parser.LITERAL, _parser.NOT_LITERAL, _parser.ANY, _parser.IN):
            if reach.matches(op, value):
                return True
        elif op == _parser.BRANCH:
            if any(_breaks(branch, reach, looking) for branch in value[1]):
                return True
        elif op == _parser.SUBPATTERN:
            if value[1] or value[2] or _breaks(value[3], reach, looking):
                return True
        elif op in _REPEATS:
            if _breaks(value[2], reach, looking):
                return True
        elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
            if looking and _breaks(value[1], reach, looking):
                return True
        elif op == _parser.AT:
            continue  # consumes nothing
        else:  # a group reference and anything else: it may
            return True
    return False


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


_ORIGINALS: dict[str, str] = {}  # a guarded pattern's text → the pattern it guards


def guard_source(source: str, flags: int = 0, parsed=None) -> str:
    """The text of the pattern with a lookahead for its first characters in front, when they can
    be known; else the text itself. Same matches, same groups. (Compiling a long alternation is
    the cost: a caller that has only the text compiles once, the guarded text.)"""
    first = _first_characters(source, flags, parsed)
    if first is None or _GLOBAL_FLAGS.match(source):  # (?i) must stay at the very start
        return source
    fast = f"(?={first})(?:{source})"
    _ORIGINALS[fast] = source
    return fast


def guarded(compiled: re.Pattern, parsed=None) -> re.Pattern:
    """guard_source for a compiled pattern (and its parse, when the caller has it): the pattern
    itself when no guard is worth it."""
    fast = guard_source(compiled.pattern, compiled.flags, parsed)
    return compiled if fast is compiled.pattern else re.compile(fast, compiled.flags)


def original(compiled: re.Pattern) -> str:
    """The text of the pattern as written, without the guard guarded() put in front (what an
    analysis of the pattern, such as whether it depends on context, must read)."""
    return _ORIGINALS.get(compiled.pattern, compiled.pattern)


# "(?:依申请|申请人|公开申请)[^，。；]{0,10}收费": a group of plain words, then the rest of the pattern
_LEADING_WORDS = re.compile(r"\(\?:((?:[^()|\\\[\]{}.*+?^$]+\|)+[^()|\\\[\]{}.*+?^$]+)\)(?![*+?{])(.*)", re.S)
_CAPTURING = re.compile(r"(?<!\\)\((?!\?)|\(\?P<")


def distributed(phrasing: str) -> list[str]:
    """A phrasing that opens with a group of plain words, as one phrasing per word ("(?:依申请|
    申请人)收费" → "依申请收费", "申请人收费"): the same matches, tried in the same order, and an
    alternation of phrasings that all open with a word is one the engine skips through by itself
    (patterns.guarded). A phrasing whose rest holds a capturing group is left as it is (the
    group would be repeated)."""
    match = _LEADING_WORDS.fullmatch(phrasing)
    if match is None or _CAPTURING.search(match.group(2)) or _has_top_level_bar(match.group(2)):
        return [phrasing]  # (a "|" of the rest's own would take the words' branches apart)
    return [word + match.group(2) for word in match.group(1).split("|")]


def _has_top_level_bar(source: str) -> bool:
    depth, in_class, escaped = 0, False, False
    for char in source:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


MAX_PATTERN = 4000  # characters of one pattern in a rule


def _nested_repeat(parsed, inside: bool = False) -> bool:
    """Whether a repeat (+, *, {m,}) stands inside another: (a+)+ backtracks for ever."""
    from re import _parser  # the standard library's own parser of patterns

    for op, value in parsed:
        if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT):
            low, high, body = value
            unbounded = high == _parser.MAXREPEAT or high > 100
            if unbounded and inside:
                return True
            if _nested_repeat(body, inside or unbounded):
                return True
        elif op == _parser.SUBPATTERN:
            if _nested_repeat(value[-1], inside):
                return True
        elif op == _parser.BRANCH:
            if any(_nested_repeat(branch, inside) for branch in value[1]):
                return True
        elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
            if _nested_repeat(value[1], inside):
                return True
    return False


def checked(source) -> re.Pattern:
    """A regular expression from a rule, a vocabulary or a table layout, checked once at load: it must compile, be of a sane
    length, and hold no repeat inside a repeat ((a+)+ and the like take exponential time on the
    report's text). Raises ValueError with the reason in Chinese."""
    from re import _parser

    if not isinstance(source, str):
        raise ValueError(f"正则表达式应为字符串，写的是 {type(source).__name__}")
    if len(source) > MAX_PATTERN:
        raise ValueError(f"正则表达式过长（{len(source)} 个字符，上限 {MAX_PATTERN}）")
    try:
        compiled = re.compile(source)
        parsed = _parser.parse(source)
    except (re.error, RecursionError, OverflowError) as error:
        raise ValueError(f"正则表达式「{source[:60]}」无效：{error}") from None
    if _nested_repeat(parsed):
        raise ValueError(f"正则表达式「{source[:60]}」含嵌套的重复（如 (a+)+），可能在报告文字上回溯极久，请改写")
    return guarded(compiled, parsed)
