"""Tables flattened into text: a scraped page turns the 收到和处理 table into
"一、本年新收政府信息公开申请数量640020470二、上年结转…". The official row labels are found in
order, and each row's run of digits is split into its cells only where the split is certain:
spaces the page kept, one digit per cell, or the table's own arithmetic (总计 = the six kinds of
applicant; each group of table 四: 总计 = its four results) admitting exactly one split. A run
that admits none or several stays unknown — a number is never invented."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from checker.facts.layouts import Row, TableSpec
from checker.facts.tables import CellFact, value_of
from checker.ingest.document import Loc, shifted_column

_RUN = re.compile(r"\d[\d \u3000]*")
_MONEY = re.compile(r"\d[\d \u3000]*(?:\.\d+)?")
_MAX_DIGITS = 7  # no count in an annual report has more
_MAX_TRIES = 200_000
_LABEL_NUMBER = re.compile(r"\d{1,2}[.、．](?!\d)")
MIN_ROWS = 2  # rows read back for certain before flattened text counts as the table
_CANDIDATES = 50  # readings of one row worth carrying into the table's balances
_MAX_COMBINATIONS = 100_000


@dataclass
class Recovered:
    rows: int = 0  # rows whose cells were recovered
    ambiguous: list[tuple[str, str]] = field(default_factory=list)  # (row label, digits) not split
    loc: Loc | None = None


def _parts(token: str, most: int):
    """Ways to read one space-free digit token as at most `most` consecutive numbers (no leading
    zeros, none longer than a count can be). Bounded by `most`: a 27-digit run read as up to six
    numbers is a few thousand ways, not the 2^26 of every composition."""
    if not token:
        yield ()
        return
    if most <= 0 or len(token) > most * _MAX_DIGITS:
        return  # too many digits left for the numbers left
    for size in range(1, min(len(token), _MAX_DIGITS) + 1):
        head = token[:size]
        if len(head) > 1 and head[0] == "0":
            break
        for rest in _parts(token[size:], most - 1):
            yield (int(head),) + rest


def splits(tokens: list[str], count: int, check, limit: int = 2) -> list[tuple[int, ...]]:
    """Splits of the tokens (spaces are certain boundaries) into `count` numbers that `check`
    accepts, up to `limit` of them (two already say the split is not unique)."""
    found: list[tuple[int, ...]] = []
    tries = 0

    def walk(index: int, acc: tuple[int, ...]):
        nonlocal tries
        if len(found) >= limit or tries > _MAX_TRIES:
            return
        if index == len(tokens):
            tries += 1
            if len(acc) == count and check(acc):
                found.append(acc)
            return
        remaining = len(tokens) - index - 1
        for part in _parts(tokens[index], count - len(acc) - remaining):
            tries += 1  # counted where the search loops, so the cap bounds it whatever the token
            if tries > _MAX_TRIES or len(found) >= limit:
                return
            walk(index + 1, acc + part)

    walk(0, ())
    return found if tries <= _MAX_TRIES else found[:0]


def _row_sum(values) -> bool:
    return sum(values[:-1]) == values[-1]


def _groups_of(size: int):
    def check(values) -> bool:
        return all(sum(values[i : i + size - 1]) == values[i + size - 1] for i in range(0, len(values), size))

    return check


class _Text:
    """The paragraphs of one section as one string, with a way back to each character's place."""

    def __init__(self, paragraphs, rejoin: bool = False):
        """`rejoin`: a line that ends in a figure and one that starts with one are a run of figures
        the capture broke ("…110024⏎001510102"), read again as one."""
        self.text = ""
        self.starts: list[tuple[int, object]] = []
        for node in paragraphs:
            if rejoin and self.text[-2:-1].isdigit() and node.text[:1].isdigit():
                self.text = self.text[:-1]
            self.starts.append((len(self.text), node))
            self.text += node.text + "\n"

    def loc(self, index: int) -> Loc:
        start, node = next((s, n) for s, n in reversed(self.starts) if s <= index)
        loc = node.loc
        return Loc(loc.line, shifted_column(loc.column, index - start, node.shifts), loc.page, loc.unit)


def _cell(spec: TableSpec, row_key: str, column: str, value, text: str, loc: Loc, label: str, kind=None) -> CellFact:
    kind_, value_ = value_of(str(value)) if kind is None else (kind, None)
    return CellFact(f"{spec.name}.{row_key}.{column}", spec.name, row_key, column, kind_, value_, text, loc, label)


def _label_number(row: Row) -> str | None:
    match = re.match(r"(\d+)\.", row.label)
    return match.group(1) if match else None


def recover_grid(spec: TableSpec, paragraphs, rejoin: bool = False) -> tuple[dict[str, CellFact], Recovered]:
    """Rows of a grid table (二, 三) from flattened text, in the layout's order."""
    text = _Text(paragraphs, rejoin)
    s = text.text
    cells: dict[str, CellFact] = {}
    candidates: dict[str, tuple] = {}  # row key → (its possible readings, run, loc, label)
    note = Recovered()
    pos = 0
    rows = list(spec.rows)
    for index, row in enumerate(rows):
        # the labels' own patterns are anchored to a cell ("^规章$"); in running text they are not
        pattern = re.compile(row.pattern.pattern.lstrip("^").rstrip("$"))
        match, start, search_from = None, None, pos
        while True:
            match = pattern.search(s, search_from)
            if match is None:
                break
            start = next((m.start() for m in re.finditer(r"\d", s[match.end() : match.end() + 60])), None)
            digit = match.end() + start if start is not None else None
            if digit is not None and _LABEL_NUMBER.match(s, digit):
                search_from = match.end()  # "其他处理3.其他…": those digits number the next label
                continue
            break
        if match is None or start is None or (match.start() - pos > 400 and pos):
            continue
        money = len(row.columns) == 1 and row.columns[0].money
        run_match = (_MONEY if money else _RUN).match(s, match.end() + start)
        run = run_match.group(0)
        pos = run_match.end()
        following = rows[index + 1] if index + 1 < len(rows) else None
        number = _label_number(following) if following else None
        if number and s[pos : pos + 1] == "." and run.rstrip().endswith(number):
            run = run.rstrip()[: -len(number)]  # "00000002.其他…": the 2 numbers the next row
            pos -= len(number)
        note.loc = note.loc or text.loc(match.start())
        loc = text.loc(run_match.start())
        label = s[match.start() : match.end()]
        columns = [c.key for c in row.columns]
        if len(columns) == 1:
            value = run.replace(" ", "").replace("\u3000", "")
            decimals = len(value.split(".")[1]) if "." in value else 0
            if "." in value and (not row.columns[0].money or decimals > 4):
                note.ambiguous.append((label, run.strip()))
                cells[f"{spec.name}.{row.key}.{columns[0]}"] = _cell(
                    spec, row.key, columns[0], None, run, loc, label, "unsplit"
                )
                continue
            cells[f"{spec.name}.{row.key}.{columns[0]}"] = _cell(spec, row.key, columns[0], value, value, loc, label)
            note.rows += 1
            continue
        tokens = [t for t in re.split(r"[ \u3000]+", run.strip()) if t]
        check = _row_sum if spec.align == "right" and columns[-1] == "total" else (lambda values: True)
        if sum(len(t) for t in tokens) == len(columns):
            check = lambda values: True  # noqa: E731 — one digit per cell: certain, right or wrong
        candidates[row.key] = (splits(tokens, len(columns), check, limit=_CANDIDATES), run, loc, label)
    _settle(spec, candidates)
    for row_key, (found, run, loc, label) in candidates.items():
        columns = [c.key for c in spec.row(row_key).columns]
        if len(found) == 1:
            for column, value in zip(columns, found[0]):
                cells[f"{spec.name}.{row_key}.{column}"] = _cell(spec, row_key, column, value, str(value), loc, label)
            note.rows += 1
        else:
            note.ambiguous.append((label, run.strip()))
            for column in columns:
                cells[f"{spec.name}.{row_key}.{column}"] = _cell(
                    spec, row_key, column, None, run, loc, label, "unsplit"
                )
    return cells, note


def _settle(spec: TableSpec, candidates: dict) -> None:
    """Rows that can be read more than one way: keep the one combination under which every
    balance of the table holds in every column, if there is exactly one."""
    open_rows = [k for k, (found, *_) in candidates.items() if len(found) > 1]
    if not open_rows or not spec.balances:
        return
    options = [candidates[k][0] for k in open_rows]
    total = 1
    for choice in options:
        total *= len(choice)
    if total > _MAX_COMBINATIONS:
        return
    fixed = {k: found[0] for k, (found, *_) in candidates.items() if len(found) == 1}
    sides = [(spec.balance_rows(left), spec.balance_rows(right)) for left, right in spec.balances]
    width = len(spec.columns)

    def holds(values: dict) -> bool:
        for left, right in sides:
            if not all(k in values for k in left + right):
                continue  # a balance over rows this report does not give is not a constraint
            for c in range(width):
                if sum(values[k][c] for k in left) != sum(values[k][c] for k in right):
                    return False
        return True

    good = []
    for combination in itertools.product(*options):
        values = {**fixed, **dict(zip(open_rows, combination))}
        if holds(values):
            good.append(combination)
            if len(good) > 1:
                return
    if len(good) == 1:
        for key, choice in zip(open_rows, good[0]):
            found, *rest = candidates[key]
            candidates[key] = ([choice], *rest)


def recover_wide(spec: TableSpec, paragraphs, rejoin: bool = False) -> tuple[dict[str, CellFact], Recovered]:
    """Table 四: after its header words, one run holding every group's five figures."""
    text = _Text(paragraphs, rejoin)
    s = text.text
    header = max((s.rfind(w) + len(w) for w in ("总计", "尚未审结", "其他结果") if w in s), default=-1)
    note = Recovered()
    if header < 0:
        return {}, note
    run_match = _RUN.search(s, header)
    if run_match is None:
        return {}, note
    note.loc = text.loc(run_match.start())
    columns = [c.key for c in spec.columns]
    need = len(columns) * len(spec.rows)
    tokens = [t for t in re.split(r"[ \u3000]+", run_match.group(0).strip()) if t]
    certain = sum(len(t) for t in tokens) == need  # one digit per cell: no arithmetic needed
    found = splits(tokens, need, (lambda values: True) if certain else _groups_of(len(columns)))
    cells: dict[str, CellFact] = {}
    for index, row in enumerate(spec.rows):
        for offset, column in enumerate(columns):
            value = found[0][index * len(columns) + offset] if len(found) == 1 else None
            key = f"{spec.name}.{row.key}.{column}"
            cells[key] = _cell(
                spec,
                row.key,
                column,
                value,
                str(value) if value is not None else run_match.group(0),
                note.loc,
                row.label,
                None if value is not None else "unsplit",
            )
    if len(found) == 1:
        note.rows = len(spec.rows)
    else:
        note.ambiguous.append(("行政复议、行政诉讼", run_match.group(0).strip()))
    return cells, note


def recover(spec: TableSpec, paragraphs) -> tuple[dict[str, CellFact], Recovered]:
    paragraphs = [p for p in paragraphs if any(ch.isdigit() for ch in p.text)]
    hits = sum(1 for p in paragraphs for w in spec.detect if w in p.text)
    if not paragraphs or hits < 2:
        return {}, Recovered()
    read = recover_wide if spec.layout == "wide" else recover_grid
    cells, note = read(spec, paragraphs)
    if note.ambiguous and len(paragraphs) > 1:  # a run of figures broken over two lines?
        again = read(spec, paragraphs, rejoin=True)
        if again[1].rows > note.rows:
            cells, note = again
    found = note.rows + len(note.ambiguous)
    if note.rows < MIN_ROWS and not (note.rows and found >= 4):
        return {}, Recovered()  # prose that names a row or two and a figure: not a table (T201 stands)
    return cells, note
