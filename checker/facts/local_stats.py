"""The local statistics table of a report under the 2008 regulation (no national form then: many
provinces asked for 指标名称 / 计量单位 / 本年度 / 历年累计), read only where the reading is certain —
as a table, or flattened to text with a space between every token. A row is a label, a unit of
measure and two figures; a row whose label opens with 其中 or 1、 is a part of the total above it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checker.ingest.document import Loc

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
# a figure the capture joined to the next row's label when it unwrapped a line ("20其中：1、…"):
# split off; a run of digits joined to its unit ("条346085376") stays one token, not read
_JOINED = re.compile(r"^(\d+(?:\.\d+)?)(?![\d.．、])(\S+)$")
_LINES_AFTER = 60  # lines a broken table's rows are looked for in (a table has a few dozen rows)
_TOKEN = re.compile(r"\S+")
_AMONG = re.compile(r"^其中[：:]?\s*")
_PART = re.compile(r"^(?:其中[：:]?\s*)?\d{1,2}\s*[、.．]")


@dataclass(frozen=True)
class StatRow:
    label: str
    unit: str
    this_year: float
    cumulative: float
    loc: Loc
    part: bool  # a part of the last total row above it (其中：1、…)

    @property
    def name(self) -> str:
        """The label without the 其中 that opens a table's parts."""
        return _AMONG.sub("", self.label)


@dataclass
class LocalStats:
    rows: list[StatRow] = field(default_factory=list)

    def groups(self) -> list[tuple[StatRow, list[StatRow]]]:
        """Each total row with the part rows that follow it (none: a row standing alone)."""
        out: list[tuple[StatRow, list[StatRow]]] = []
        for row in self.rows:
            if row.part and out:
                out[-1][1].append(row)
            elif not row.part:
                out.append((row, []))
        return out


def _tokens(unit, start: int = 0) -> list[tuple[str, Loc]]:
    out = []
    for token in _TOKEN.finditer(unit.text, start):
        joined = _JOINED.match(token.group(0))
        if joined:
            out += [
                (joined.group(1), unit.loc_at(token.start())),
                (joined.group(2), unit.loc_at(token.start() + joined.start(2))),
            ]
        else:
            out.append((token.group(0), unit.loc_at(token.start())))
    return out


def _value(text: str) -> float:
    number = float(text)
    return int(number) if number.is_integer() else number


def _rows(tokens: list[tuple[str, Loc]], units: frozenset[str]) -> list[StatRow]:
    """Rows from whitespace-separated tokens: label words, a unit, two figures; the reading stops
    at the first token that breaks the shape (what follows the table)."""
    rows, label, label_loc, i = [], [], None, 0
    while i < len(tokens):
        text, loc = tokens[i]
        if text in units and label and i + 2 < len(tokens) and all(_NUMBER.match(t) for t, _ in tokens[i + 1 : i + 3]):
            joined = "".join(label)
            rows.append(
                StatRow(
                    joined,
                    text,
                    _value(tokens[i + 1][0]),
                    _value(tokens[i + 2][0]),
                    label_loc,
                    bool(_PART.match(joined)),
                )
            )
            label, label_loc, i = [], None, i + 3
            continue
        if _NUMBER.match(text) or text in units or len(label) >= 4:
            break  # a figure without its row, or a label that never reaches its unit: not a row
        label.append(text)
        label_loc = label_loc or loc
        i += 1
    return rows


def read_local_stats(units_text, tables, header: re.Pattern, units: frozenset[str]) -> LocalStats | None:
    """The table from the report's tables (rows of label, unit, figure, figure under a header row
    the `header` pattern matches) or from a text unit holding the header and the rows after it."""
    for table in tables:
        rows = [" ".join(cell.text.strip() for cell in dict.fromkeys(row)) for row in table.distinct_rows()]
        at = next((i for i, row in enumerate(rows) if header.search(row)), None)
        if at is None:
            continue
        cells = [cell for row in list(table.distinct_rows())[at + 1 :] for cell in dict.fromkeys(row)]
        tokens = [(cell.text.strip(), cell.loc) for cell in cells if cell.text.strip()]
        found = _rows(tokens, units)
        if found:
            return LocalStats(found)
    units_text = list(units_text)
    for index, unit in enumerate(units_text):
        match = header.search(unit.text)
        if match is None:
            continue
        # the rows run on into the lines after, where a capture broke the table's text
        tokens = _tokens(unit, match.end())
        for after in units_text[index + 1 : index + 1 + _LINES_AFTER]:
            more = _tokens(after)
            if tokens and more and _NUMBER.match(tokens[-1][0]) and _NUMBER.match(more[0][0]):
                # a row never opens with a figure: digits on both sides of a line break are one
                # figure the capture broke ("7⏎8967")
                tokens[-1] = (tokens[-1][0] + more.pop(0)[0], tokens[-1][1])
            tokens += more
        found = _rows(tokens, units)
        if found:
            return LocalStats(found)
    return None
