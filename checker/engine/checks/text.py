"""Text quality, read from what normalisation recorded (traditional script, debris, page residue)."""

from __future__ import annotations

import re
from functools import cache

from checker.engine.registry import P, check, pattern, require
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.engine.wording import words
from checker.ingest.document import CJK, TextBlock
from checker.numerals import ordinal_value
from checker.vocab import lookalikes, place_names


def _prepare(params: dict) -> dict:
    require(params, "kinds")
    if params["per"] not in ("document", "change"):
        raise ValueError(words("normalized").say("per"))
    return params


@check(
    "normalized",
    _prepare,
    params={
        "kinds": P(
            "list",
            "what was recorded: t2s, pinyin, debris, residue (normalisation); offpage (a PDF reader); revision, comment (a Word reader)",
            True,
        ),
        "per": P("str", "document (one finding) or change (one each)", default="document"),
        "sample": P("str", "chars: list the characters"),
        "min": P("number", "fewer changes than this are not reported", default=1),
        "skip_formats": P("list", "input formats to skip", default=[]),
    },
    reads="what the reader and normalisation recorded (document changes)",
)
def normalized(ctx: Context, params: dict):
    """Normalisation had to convert or remove text of these kinds, or the reader noticed them
    (text off a PDF page, Word revisions and comments)."""
    if ctx.doc.format in params["skip_formats"]:
        return
    changes = [c for c in ctx.doc.changes if c.kind in params["kinds"]]
    if len(changes) < params["min"]:
        return
    if params["per"] == "change":
        for change in changes:
            yield Hit(
                {"text": change.original[:40], "count": 1},
                loc=change.loc,
                section=None,
                anchor=None,
                key=f"{change.kind}/{change.original[:40]}",
                evidence=change.original[:40].strip() or None,
            )
        return
    if params.get("sample") == "chars":  # traditional characters: list each character once
        sample = "".join(dict.fromkeys("".join(c.original for c in changes)))[:12]
        converted = "".join(dict.fromkeys("".join(c.replacement for c in changes)))[:12]
    else:
        sample = words("normalized").listed(list(dict.fromkeys(c.original for c in changes))[:5])
        converted = ""
    count = sum(len(c.original) for c in changes) if params.get("sample") == "chars" else len(changes)
    yield Hit(
        {"count": count, "sample": sample, "converted": converted},
        loc=changes[0].loc,
        section=None,
        anchor=None,
        key="document",
        evidence=(changes[0].original.strip()[:1] if params.get("sample") == "chars" else changes[0].original.strip())
        or None,
    )


@check(
    "provenance",
    params={
        "min_t2s_share": P(
            "number",
            "share of the text's Chinese characters converted from traditional for a mirror's conversion",
            default=0.3,
        )
    },
    reads="what the reader and normalisation recorded (document changes, ocr pages) and facts.flattened",
)
def provenance(ctx: Context, params: dict):
    """The file shows it was captured or converted (a crawler's header, page furniture, tables
    flattened to text, a whole-text script conversion, OCR): said once, so that the damage the
    capture did is read as the file's and not as the agency's."""
    kinds: dict[str, int] = {}
    converted = 0
    for change in ctx.doc.changes:
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
        if change.kind == "t2s":
            converted += len(change.original)
    said, signs = words("provenance")["signs"], []
    if kinds.get("meta"):
        signs.append(said["meta"])
    if kinds.get("residue") and ctx.doc.format != "html":  # a web page's own frame is the page's, not a capture's
        signs.append(said["residue"].format(n=kinds["residue"]))
    if ctx.facts.flattened:
        signs.append(said["flattened"])
    # (the report's Chinese characters counted only where something was converted: most reports)
    if converted and converted >= params["min_t2s_share"] * len(CJK.findall(ctx.joined())):
        signs.append(said["t2s"])
    if ctx.doc.meta.get("ocr_pages"):
        signs.append(said["ocr"])
    if signs:
        yield Hit(
            {"signs": words("provenance").listed(signs, "clauses")},
            loc=ctx.first_loc(),
            section=None,
            anchor="document",
            key="provenance",
        )


class _Lists:
    """Follows 一是/二是 numbering through a section. Lists nest ("一是推进…公开。一是…二是…。
    二是推进…"), so one counter is kept per open level — but 一是 only opens a level after a
    short item title; after a longer item or a label ("改进措施：一是…") it starts a new list in
    the same place. Items may run over several paragraphs (or PDF lines)."""

    def __init__(self):
        self.stack: list[int] = []
        self.seen: list[str] = []
        self.pending = None  # the first slip of the current list: [unit, match, problems, start]

    def feed(self, number: int, written: str, between: str) -> str | None:
        """The problem with this marker, if any."""
        slips = words("text-slips")
        self.seen.append(slips.say("item", written))
        stack = self.stack
        if number == 1:
            nested = bool(stack) and len(between) <= 25 and slips["marks"]["label_end"] not in between
            self.stack = (stack + [1])[-3:] if nested else stack[:-1] + [1]
            if not nested:
                self.seen = self.seen[-1:]  # this 一是 opens a new list
            return None
        if not stack:
            self.stack = [number]  # a list whose start we did not see
            return None
        level = next((i for i in range(len(stack) - 1, -1, -1) if stack[i] + 1 == number), None)
        if level is not None:
            self.stack = stack[:level] + [number]
            return None
        self.stack = stack[:-1] + [number]
        return slips.say("repeated") if number == stack[-1] else slips.say("skipped")


def _prepare_slips(params: dict) -> dict:
    return {
        **params,
        "doubled_re": pattern(params["doubled"]) if params.get("doubled") else words("text-slips").re.doubled,
    }


@check(
    "text-slips",
    _prepare_slips,
    params={"doubled": P("pattern", "characters that must not be typed twice")},
    reads="the text",
)
def text_slips(ctx: Context, params: dict):
    """Characters typed twice (《《、的的) and 一是/二是 lists that skip or repeat a number."""
    doubled = params["doubled_re"]
    marker, mark = words("text-slips").re.marker, words("text-slips")["marks"]["marker"]
    anywhere = bool(ctx.searched(doubled))  # (usually nowhere: then no paragraph is searched)
    lists, section = _Lists(), object()
    for unit in ctx.texts():
        for match in doubled.finditer(unit.text) if anywhere else ():
            context = unit.text[max(0, match.start() - 6) : match.end() + 6]
            yield Hit(
                {"text": context, "doubled": match.group(0)},
                loc=unit.loc_at(match.start()),
                section=unit.section,
                anchor=None,
                key=f"doubled/{match.group(0)}/{unit.text[:20]}",
                evidence=match.group(0),
                variant="doubled",
            )
        if unit.section != section:
            yield from _slip(lists)
            lists, section = _Lists(), unit.section
        previous_end = 0
        for match in marker.finditer(unit.text) if mark in unit.text else ():
            number = ordinal_value(match.group(1))
            if number is None:
                continue
            if number == 1:  # a list (or a list inside it) begins: the slip before it is complete
                yield from _slip(lists)
            problem = lists.feed(number, match.group(1), unit.text[previous_end : match.start()])
            previous_end = match.end()
            if problem:
                if lists.pending is None:
                    lists.pending = [unit, match, [], len(lists.seen) - 2]
                lists.pending[2].append(problem)
    yield from _slip(lists)


def _slip(lists: _Lists):
    """One finding per list, once the list is over: "一是…三是…三是" skips and repeats."""
    if lists.pending is None:
        return
    unit, match, problems, start = lists.pending
    lists.pending = None
    slips = words("text-slips")
    listed = slips.listed(lists.seen[max(start, 0) :][:6])
    yield Hit(
        {"text": listed, "problems": slips.listed(dict.fromkeys(problems))},
        loc=unit.loc_at(match.start()),
        section=unit.section,
        anchor=None,
        key=f"list/{unit.text[:20]}/{match.start()}",
        evidence=match.group(0),
        variant="list",
    )


def _prepare_forbidden(params: dict) -> dict:
    require(params, "pattern")
    return {**params, "compiled": pattern(params["pattern"])}


@check(
    "pattern-forbidden",
    _prepare_forbidden,
    params={"pattern": P("pattern", "text that must not stand in a published report", True)},
    reads="the text",
)
def pattern_forbidden(ctx: Context, params: dict):
    """Text that must not stand in a published report (template instructions left in)."""
    for unit in ctx.searched(params["compiled"]):
        for match in params["compiled"].finditer(unit.text):
            yield Hit(
                {"text": match.group(0)[:40]},
                loc=unit.loc_at(match.start()),
                section=unit.section,
                anchor=None,
                key=f"{unit.section}/{match.group(0)[:40]}",
                evidence=match.group(0)[:40],
            )


@cache
def _lookalike_pattern() -> re.Pattern:
    """A confusable character with a place suffix at most four characters after it."""
    chars = re.escape("".join(lookalikes()))
    return re.compile(f"[{chars}](?={words('lookalike-place')['reach']}[{_place_suffixes()}])")


def _place_suffixes() -> str:
    return words("lookalike-place")["place_suffixes"]


def _misread_place(text: str, at: int) -> tuple[str, str, int] | None:
    """(name as written, the real name, where it starts) when the character at `at` turns a
    name that is no place into one ("沐阳县" → "沭阳县"); None when it is fine or unknown."""
    others = lookalikes().get(text[at], "")
    if not others:
        return None
    places = place_names()
    best = None
    for start in range(max(0, at - 4), at + 1):
        for end in range(at + 1, min(len(text), start + 6)):
            if text[end] not in _place_suffixes():
                continue
            name = text[start : end + 1]
            if name in places:
                return None  # the character belongs to a real name here
            for other in others:
                right = name[: at - start] + other + name[at - start + 1 :]
                if right in places and (best is None or len(name) > len(best[0])):
                    best = (name, right, start)
    return best


@check("lookalike-place", params={}, reads="the text and GB/T 2260 place names")
def lookalike_place(ctx: Context, params: dict):
    """A place name that is no place, but is one with a look-alike character swapped: OCR or a
    slip ("沐阳县" for 沭阳县). One hit per misread name, at its first place, with the count."""
    pattern = _lookalike_pattern()
    found: dict[tuple[str, str], list] = {}
    for unit in ctx.searched(pattern):
        for match in pattern.finditer(unit.text):
            misread = _misread_place(unit.text, match.start())
            if misread:
                name, right, start = misread
                found.setdefault((name, right), []).append((unit, start))
    blocks = [b.text for b in ctx.doc.blocks if isinstance(b, TextBlock)] if found else []
    for (name, right), places in found.items():
        unit, start = places[0]
        count = sum(text.count(name) for text in blocks)  # the signature line too
        yield Hit(
            {"name": name, "right": right, "count": max(count, len(places))},
            loc=unit.loc_at(start),
            section=unit.section,
            anchor=None,
            key=f"lookalike/{name}",
            evidence=name,
        )
