"""Word's automatic numbering, as Word displays it: a paragraph whose "一、" or "（一）" comes
from numbering.xml (its own w:numPr, or its style's) gets that text in front of it.

Counters run per abstract list in document order; a level counting up restarts the levels below
it; a w:num with a w:startOverride starts its level afresh the first time it is used."""

from __future__ import annotations

import re

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "〇一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_PLACEHOLDER = re.compile(r"%([1-9])")


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = (
            ""
            if rest == 0
            else ("零" + _CN[rest] if rest < 10 else (_CN[1] + chinese(rest) if rest < 20 else chinese(rest)))
        )
        return _CN[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def formatted(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return chinese(n)
    if fmt == "ideographDigital":
        return "".join(_CN[int(d)] for d in str(n))
    if fmt in ("ideographTraditional", "ideographZodiac"):
        return _STEMS[(n - 1) % 10]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal, decimalFullWidth and anything unknown


class Numbering:
    """The lists of one document and their running counters."""

    def __init__(self, root=None, styled: bool = False):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstract id → ilvl → (start, fmt, text)
        self.nums: dict[str, str] = {}  # numId → abstract id
        self.overrides: dict[str, dict[int, int]] = {}  # numId → ilvl → start
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[tuple[str, int]] = set()
        self.styled = styled  # whether a paragraph style of the document carries a list
        if root is None:
            return
        for abstract in root.findall(_W + "abstractNum"):
            self.levels[abstract.get(_W + "abstractNumId")] = _levels(abstract)
        for num in root.findall(_W + "num"):
            num_id = num.get(_W + "numId")
            ref = num.find(_W + "abstractNumId")
            if ref is None:
                continue
            self.nums[num_id] = ref.get(_W + "val")
            for override in num.findall(_W + "lvlOverride"):
                try:
                    ilvl = int(override.get(_W + "ilvl", "0"))
                except ValueError:
                    continue
                start = override.find(_W + "startOverride")
                if start is not None:
                    self.overrides.setdefault(num_id, {})[ilvl] = _int(start.get(_W + "val"), 1)
                lvl = override.find(_W + "lvl")
                if lvl is not None:  # a level redefined for this list alone
                    self.levels.setdefault(f"num:{num_id}", dict(self.levels.get(self.nums[num_id], {})))
                    self.levels[f"num:{num_id}"].update(_levels_of([lvl]))
                    self.nums[num_id] = f"num:{num_id}"

    def label(self, num_id: str | None, ilvl: int) -> str:
        """The number Word shows for the next paragraph of list `num_id` at level `ilvl`."""
        abstract = self.nums.get(num_id or "")
        if abstract is None or num_id == "0":
            return ""
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        start = self.overrides.get(num_id, {}).get(ilvl)
        if start is not None and (num_id, ilvl) not in self.started:
            self.started.add((num_id, ilvl))
            counters[ilvl] = start - 1
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            del counters[deeper]  # the levels below start again
        _, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return ""

        def value(match) -> str:
            level = int(match.group(1)) - 1
            if level not in levels:
                return ""
            count = counters.get(level, levels[level][0])
            return formatted(count, levels[level][1])

        return _PLACEHOLDER.sub(value, text)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _levels(abstract) -> dict[int, tuple[int, str, str]]:
    return _levels_of(abstract.findall(_W + "lvl"))


def _levels_of(lvls) -> dict[int, tuple[int, str, str]]:
    out = {}
    for lvl in lvls:
        ilvl = _int(lvl.get(_W + "ilvl"), 0)
        start = lvl.find(_W + "start")
        fmt = lvl.find(_W + "numFmt")
        text = lvl.find(_W + "lvlText")
        out[ilvl] = (
            _int(start.get(_W + "val") if start is not None else None, 1),
            fmt.get(_W + "val", "decimal") if fmt is not None else "decimal",
            text.get(_W + "val", "") if text is not None else "",
        )
    return out
