"""Text quality, read from what normalisation recorded (traditional script, debris, page residue)."""

from __future__ import annotations

import re

from checker.engine.checks import check, require
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.parse.numerals import ordinal_value


def _prepare(params: dict) -> dict:
    require(params, "kinds")
    if params.get("per", "document") not in ("document", "change"):
        raise ValueError("per 应为 document 或 change")
    return params


@check("normalized", _prepare)
def normalized(ctx: Context, params: dict):
    """Normalisation had to convert or remove text of these kinds."""
    if ctx.doc.format in params.get("skip_formats", ()):
        return
    changes = [c for c in ctx.doc.changes if c.kind in params["kinds"]]
    if len(changes) < params.get("min", 1):
        return
    if params.get("per", "document") == "change":
        for change in changes:
            yield Hit({"text": change.original[:40], "count": 1}, change.loc, None, None,
                      f"{change.kind}/{change.original[:40]}")
        return
    if params.get("sample") == "chars":  # traditional characters: list each character once
        sample = "".join(dict.fromkeys("".join(c.original for c in changes)))[:12]
        converted = "".join(dict.fromkeys("".join(c.replacement for c in changes)))[:12]
    else:
        sample = "、".join(list(dict.fromkeys(c.original for c in changes))[:5])
        converted = ""
    count = sum(len(c.original) for c in changes) if params.get("sample") == "chars" else len(changes)
    yield Hit({"count": count, "sample": sample, "converted": converted}, changes[0].loc, None,
              None, "document")


_DOUBLED = re.compile(r"([《》。，、；：（）“”的是在和])\1")
_MARKER = re.compile(r"(?<![统唯第之单同划专万])([一二三四五六七八九十]{1,2})是(?=[^，。；、）)]{2})")


class _Lists:
    """Follows 一是/二是 numbering through a section. Lists nest ("一是推进…公开。一是…二是…。
    二是推进…"), so one counter is kept per open level — but 一是 only opens a level after a
    short item title; after a longer item or a label ("改进措施：一是…") it starts a new list in
    the same place. Items may run over several paragraphs (or PDF lines)."""

    def __init__(self):
        self.stack: list[int] = []
        self.seen: list[str] = []

    def feed(self, number: int, written: str, between: str) -> str | None:
        """The problem with this marker, if any."""
        self.seen.append(f"{written}是")
        stack = self.stack
        if number == 1:
            nested = bool(stack) and len(between) <= 25 and "：" not in between
            self.stack = (stack + [1])[-3:] if nested else stack[:-1] + [1]
            return None
        if not stack:
            self.stack = [number]  # a list whose start we did not see
            return None
        level = next((i for i in range(len(stack) - 1, -1, -1) if stack[i] + 1 == number), None)
        if level is not None:
            self.stack = stack[:level] + [number]
            return None
        self.stack = stack[:-1] + [number]
        return "重复" if number == stack[-1] else "不连续"


@check("text-slips")
def text_slips(ctx: Context, params: dict):
    """Characters typed twice (《《、的的) and 一是/二是 lists that skip or repeat a number."""
    doubled = re.compile(params["doubled"]) if params.get("doubled") else _DOUBLED
    lists, section = _Lists(), object()
    for unit in ctx.texts():
        for match in doubled.finditer(unit.text):
            context = unit.text[max(0, match.start() - 6):match.end() + 6]
            yield Hit({"text": context, "detail": f"「{match.group(0)}」疑为重复输入（「{context}」）"},
                      unit.loc_at(match.start()), unit.section, None, f"doubled/{match.group(0)}/{unit.text[:20]}")
        if unit.section != section:
            lists, section = _Lists(), unit.section
        previous_end = 0
        for match in _MARKER.finditer(unit.text):
            number = ordinal_value(match.group(1))
            if number is None:
                continue
            problem = lists.feed(number, match.group(1), unit.text[previous_end:match.start()])
            previous_end = match.end()
            if problem:
                listed = "、".join(lists.seen[-4:])
                yield Hit({"text": listed, "detail": f"列举序号「{listed}」{problem}"}, unit.loc_at(match.start()),
                          unit.section, None, f"list/{unit.text[:20]}/{match.start()}")


def _prepare_forbidden(params: dict) -> dict:
    require(params, "pattern")
    return {**params, "compiled": re.compile(params["pattern"])}


@check("pattern-forbidden", _prepare_forbidden)
def pattern_forbidden(ctx: Context, params: dict):
    """Text that must not stand in a published report (template instructions left in)."""
    for unit in ctx.texts():
        for match in params["compiled"].finditer(unit.text):
            yield Hit({"text": match.group(0)[:40]}, unit.loc_at(match.start()), unit.section, None,
                      f"{unit.section}/{match.group(0)[:40]}")
