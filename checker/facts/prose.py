"""Figures a report states in words ("全年共收到政府信息公开申请45件，占51.85%") and statements
that there were none ("未发生行政复议"), each with its place, read clause by clause using the
vocabulary in rules/vocab/figures.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


from checker.facts.report_meta import YEAR
from checker.ingest.document import Loc, shifted_column
from checker.parse.ast import Paragraph, Report
from checker.patterns import checked, guard_source
from checker.resources import rules_dir, load_yaml

_CLAUSE = re.compile(r"[^，,。；;！!？?：:]+")
_PERCENT = re.compile(r"[^，。；,;\d]{0,2}[，,、]?\s*(?:约占|占比|占)[^，。；,;\d%％]{0,12}?(\d+(?:\.\d+)?)\s*[%％]")
_DIGIT = re.compile(r"\d")
_NIL = re.compile(r"未|没有|无|零|为0|0件")


@dataclass(frozen=True)
class FigureTopic:
    name: str
    label: str
    cell: object  # str | list[str] | dict[format, str | list[str]]
    patterns: tuple[re.Pattern, ...]
    exclude: re.Pattern | None
    nil: tuple[re.Pattern, ...]
    nil_exclude: re.Pattern | None
    also: tuple[tuple[str, ...], ...] = ()  # other sums the same words may count
    context: re.Pattern | None = None  # the clause must say what it counts …
    section: str | None = None  # … unless it stands in this section

    def cell_for(self, fmt: str | None):
        cell = self.cell.get(fmt) if isinstance(self.cell, dict) else self.cell
        return [cell] if isinstance(cell, str) else list(cell or [])


@dataclass(slots=True, unsafe_hash=True)  # immutable by convention, as Loc (frozen set each field by a call)
class Figure:
    topic: str
    value: int  # 0 for a statement that there were none
    nil: bool
    text: str  # the clause as written
    loc: Loc
    section: str | None
    percent: float | None = None
    percent_text: str | None = None
    phrase: str = ""  # the words that state it ("予以公开及部分公开258件"), the finding's evidence


def _compile(pattern: str | None) -> re.Pattern | None:
    """A vocabulary pattern, held to the rules' guard (patterns.checked) as it is compiled."""
    if not pattern:
        return None
    checked(pattern)
    return re.compile(pattern)


@cache
def _vocabulary_file() -> dict:
    return load_yaml((rules_dir() / "vocab" / "figures.yaml").read_text(encoding="utf-8"))


@cache
def figure_vocabulary() -> tuple[re.Pattern, tuple[FigureTopic, ...]]:
    data = _vocabulary_file()
    topics = tuple(
        FigureTopic(
            t["name"],
            t["label"],
            t.get("cell"),
            tuple(_compile(p) for p in t.get("patterns", [])),
            _compile(t.get("exclude")),
            tuple(_compile(p) for p in t.get("nil", [])),
            _compile(t.get("nil_exclude")),
            tuple(tuple(a) for a in t.get("also", [])),
            _compile(t.get("context")),
            t.get("section"),
        )
        for t in data["figures"]
    )
    return _compile(data["exclude"]), topics


@cache
def _qualifiers() -> re.Pattern:
    return _compile(_vocabulary_file()["qualifiers"])


_SENTENCE_START = re.compile(r"[。；;！!？?]")


@cache
def part_actors() -> re.Pattern:
    """Words naming part of an agency as the one that counted (figures.yaml `part_actors`)."""
    return _compile(_vocabulary_file()["part_actors"])


def qualified(text: str, start: int) -> bool:
    """Whether the sentence before `start` says the figures after it count something else
    ("截至9月底，…", "在规范性文件清理中，…"): figures.yaml `qualifiers`."""
    opening = max((m.end() for m in _SENTENCE_START.finditer(text, 0, start)), default=0)
    return _qualifiers().search(text, opening, start) is not None


@cache
def _gates() -> tuple[re.Pattern, re.Pattern]:
    """Every topic's figure patterns, and every nil pattern, each as one alternation: a clause
    neither matches (most clauses with a digit give a date or a rate) skips the topics."""
    _, topics = figure_vocabulary()

    return (
        _alternation((p for t in topics for p in t.patterns), guard=True),
        _alternation((p for t in topics for p in t.nil), guard=True),
    )


@cache
def _topic_gates() -> tuple[tuple[re.Pattern, re.Pattern], ...]:
    """Each topic's figure patterns and its nil patterns as one alternation: a clause that passed
    the gates above is tried pattern by pattern only for the topics that can match it."""
    return tuple((_alternation(t.patterns), _alternation(t.nil)) for t in figure_vocabulary()[1])


def _alternation(patterns, guard: bool = False) -> re.Pattern:
    """Patterns as one that matches where any of them does (the figure's group unnamed: a name
    may stand once in a pattern). `guard`: with patterns.guard_source's lookahead (the two gates
    every clause meets; working it out for each topic's would cost a start more than it saves)."""
    source = "|".join(f"(?:{p.pattern.replace('(?P<n>', '(?:')})" for p in patterns) or "(?!)"
    return re.compile(guard_source(source) if guard else source)


@cache
def _outcomes() -> re.Pattern:
    return re.compile(_vocabulary_file().get("outcomes") or "(?!)")


@cache
def _fillers() -> re.Pattern:
    return re.compile(_vocabulary_file().get("fillers") or "(?!)")


MAX_FIGURE_DIGITS = 9  # no report counts a billion applications
OUTCOME_REACH = 6  # characters after a phrase in which an outcome word still qualifies it


# \d{10,} written out as ten \d and \d*: the same runs, found a third faster (the engine skips to
# a digit when the pattern opens with a class, not when it opens with a counted repeat)
_LONG_NUMBER = re.compile(r"\d" * (MAX_FIGURE_DIGITS + 1) + r"\d*")


def mask_long_numbers(text: str) -> str:
    """The text with every run of digits longer than any count replaced by as many "#": the
    figure patterns (…\\d+\\s*件) would otherwise retry such a run from each of its digits, work
    that grows with the square of its length. Positions are kept."""
    if not _LONG_NUMBER.search(text):
        return text
    return _LONG_NUMBER.sub(lambda m: "#" * len(m.group(0)), text)


def about_outcome(clause: str, start: int, end: int, reach: int = OUTCOME_REACH) -> bool:
    """Whether the phrase clause[start:end] speaks of an outcome of its topic (复议纠错, 诉讼败诉)
    rather than of the topic itself: an outcome word inside it or right after it."""
    return _outcomes().search(clause, start, min(end + reach, len(clause))) is not None


def plain(text: str) -> str:
    """The text without the words agencies insert into set phrases (公开, 本机关, 本年度, 任何 …),
    so that "未收取信息公开处理费" reads as "未收取信息处理费"."""
    return _fillers().sub("", text)


def plain_within_clauses() -> bool:
    """Whether the filler words are plain words (no clause mark, class or wildcard), so that
    dropping them from a whole line drops them from each of its clauses alike."""
    return not re.search(r"[，,。；;！!？?.\[\\]", _fillers().pattern)


def _other_year(clause: str, year: int | None) -> bool:
    """A clause about another year ("2023年收到申请30件" in a 2024 report) is not this year's figure."""
    return year is not None and any(int(y) != year for y in YEAR.findall(clause))


def prose_figures(report: Report, where: dict[int, str], year: int | None) -> list[Figure]:
    common_exclude, topics = figure_vocabulary()
    figure_gate, nil_gate = _gates()
    topic_gates = _topic_gates()
    found: list[Figure] = []
    for node in report.paragraphs():
        if _DIGIT.search(node.text) is None and _NIL.search(node.text) is None:
            continue  # (both are plain words: a clause of a text without either has neither)
        text = mask_long_numbers(node.text)
        section = where.get(id(node))
        for clause_match in _CLAUSE.finditer(text):
            clause = clause_match.group(0)
            start = clause_match.start()
            has_figure = _DIGIT.search(clause) is not None and figure_gate.search(clause) is not None
            has_nil = _NIL.search(clause) is not None and nil_gate.search(clause) is not None
            if not (has_figure or has_nil) or common_exclude.search(clause) or _other_year(clause, year):
                continue  # most clauses state no count at all: skip them before the topic patterns
            if has_figure and qualified(text, start):
                continue

            def loc(index: int, node: Paragraph = node) -> Loc:
                return Loc(
                    node.loc.line, shifted_column(node.loc.column, index, node.shifts), node.loc.page, node.loc.unit
                )

            for topic, (may_count, may_deny) in zip(topics, topic_gates):
                # the topic's own alternations first: most topics are not this clause's at all
                counts = has_figure and may_count.search(clause) is not None
                denies = has_nil and may_deny.search(clause) is not None
                if not (counts or denies):
                    continue
                if topic.context and section != topic.section and not topic.context.search(clause):
                    continue
                if not counts or (topic.exclude and topic.exclude.search(clause)):
                    figure = None
                else:
                    figure = next((m for p in topic.patterns for m in [p.search(clause)] if m), None)
                if figure and about_outcome(clause, figure.start(), figure.end(), reach=0):
                    figure = None  # "被复议纠错2件" counts corrections, not reviews
                if figure and len(figure.group("n")) > MAX_FIGURE_DIGITS:
                    figure = None  # a run of digits longer than any count is not a figure
                if figure:
                    percent = _PERCENT.match(text, start + figure.end())
                    found.append(
                        Figure(
                            topic.name,
                            int(figure.group("n")),
                            False,
                            clause.strip(),
                            loc(start + figure.start("n")),
                            section,
                            float(percent.group(1)) if percent else None,
                            percent.group(0).lstrip("，,、 ") if percent else None,
                            figure.group(0),
                        )
                    )
                    continue
                if not denies or (topic.nil_exclude and topic.nil_exclude.search(clause)):
                    continue
                nil = next(
                    (
                        m
                        for p in topic.nil
                        for m in [p.search(clause)]
                        if m and not about_outcome(clause, m.start(), m.end())
                    ),
                    None,
                )
                if nil:
                    found.append(
                        Figure(
                            topic.name, 0, True, clause.strip(), loc(start + nil.start()), section, phrase=nil.group(0)
                        )
                    )
    return found
