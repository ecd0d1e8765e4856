"""The official table layouts and the section vocabulary, read from YAML under rules/."""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass
from functools import cache, cached_property

from checker.ingest.document import compact
from checker.patterns import checked
from checker.resources import load_yaml, parse_yaml, rules_dir


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    short: str
    money: bool = False
    signed: bool = False
    parent: str | None = None  # a header spanning several columns (法人或其他组织)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    short: str
    pattern: re.Pattern
    group: str | None
    block: int  # index of the block (table 二) the row belongs to
    columns: tuple[Column, ...]

    @cached_property
    def column(self) -> dict[str, Column]:
        """This row's columns by key."""
        return {c.key: c for c in self.columns}


# A label is matched against every row's and group's pattern once per distinct text: the same
# few hundred labels recur in every report, so keying a row becomes a dictionary hit.
MEMO_LIMIT = 8192  # odd labels of odd reports must not grow a memo forever


def _remember(memo: dict, label: str, found: tuple) -> tuple:
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[label] = found
    return found


@dataclass(frozen=True)
class TableSpec:
    name: str
    section: str
    title: str
    detect: tuple[str, ...]
    layout: str  # grid | wide
    align: str  # right: values are the row's last cells; left: the cells after the label
    rows: tuple[Row, ...]
    groups: tuple[tuple[str, re.Pattern], ...]
    group_labels: dict
    blocks: tuple[str, ...]
    note: str | None = None
    signature: tuple[str, ...] = ()  # words only this format version's table has
    balances: tuple = ()  # ((left row keys), (right row keys)) summing equal in every column

    def balance_rows(self, side) -> list[str]:
        """Row keys of one side of a balance ("outcome.*": every row under outcome but its total)."""
        out = []
        for key in side:
            if key.endswith(".*"):
                group = key[:-2]
                out += [r.key for r in self.rows if r.key.startswith(group + ".") and r.key != f"{group}.total"]
            else:
                out.append(key)
        return out

    # Layouts are loaded once and read for every cell of every report: what is derived from
    # the rows is computed once per table (cached_property stores it beside the frozen fields).
    @cached_property
    def row_by_key(self) -> dict[str, Row]:
        """The table's rows by key."""
        return {r.key: r for r in self.rows}

    @cached_property
    def _leaves(self) -> dict[str, tuple[str, ...]]:
        return {
            prefix: tuple(r.key for r in self.rows if r.key.startswith(prefix + "."))
            for prefix in {".".join(r.key.split(".")[:i]) for r in self.rows for i in range(1, r.key.count(".") + 1)}
        }

    def row(self, key: str) -> Row | None:
        return self.row_by_key.get(key)

    @cached_property  # label as written → (groups, rows); label compacted → the same (see _remember)
    def _by_written(self) -> dict[str, tuple]:
        return {}

    @cached_property
    def _by_label(self) -> dict[str, tuple]:
        return {}

    def matching(self, written: str) -> tuple[tuple[str, ...], tuple[Row, ...]]:
        """The group keys and the rows, in layout order, whose patterns a label matches once
        compacted: remembered by the label as written (one lookup for a row's label), and by
        its compacted form (written forms that differ only in white space are matched once)."""
        found = self._by_written.get(written)
        if found is None:
            label = compact(written)
            found = self._by_label.get(label)
            if found is None:
                found = _remember(
                    self._by_label,
                    label,
                    (
                        tuple(k for k, p in self.groups if p.search(label)),
                        tuple(r for r in self.rows if r.pattern.search(label)),
                    ),
                )
            _remember(self._by_written, written, found)
        return found

    @cached_property
    def _cell_keys(self) -> dict[str, tuple[tuple[Column, str], ...]]:
        return {}

    def cell_keys(self, row_key: str) -> tuple[tuple[Column, str], ...]:
        """Each column of a row (a group heading a subtotal: the table's columns) with its cell's
        full key, "requests.new.natural_person" — built once, not per cell of every report."""
        keys = self._cell_keys.get(row_key)
        if keys is None:
            row = self.row(row_key)
            columns = row.columns if row else self.columns
            keys = self._cell_keys[row_key] = tuple((c, f"{self.name}.{row_key}.{c.key}") for c in columns)
        return keys

    @cached_property
    def _prefixes(self) -> dict[str, tuple[str, ...]]:
        return {}

    def prefixes(self, key: str) -> tuple[str, ...]:
        """A row or group key and every group above it: outcome.withheld.secret → outcome,
        outcome.withheld, outcome.withheld.secret."""
        found = self._prefixes.get(key)
        if found is None:
            parts = key.split(".")
            found = self._prefixes[key] = tuple(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        return found

    @cached_property
    def row_cells(self) -> tuple[tuple[Row, tuple[tuple[str, str], ...]], ...]:
        """Each row with its cells: (column key, cell key) pairs, as cell_keys gives them."""
        return tuple((row, tuple((column.key, key) for column, key in self.cell_keys(row.key))) for row in self.rows)

    def leaves_under(self, prefix: str) -> tuple[str, ...]:
        """Row keys strictly below `prefix` (outcome.withheld → its eight reasons)."""
        return self._leaves.get(prefix, ())

    @cached_property
    def width(self) -> int:
        """The most columns a row of the table has."""
        return max(len(r.columns) for r in self.rows)

    @cached_property
    def column(self) -> dict[str, Column]:
        """The table's columns by key."""
        return {c.key: c for c in self.columns}

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        seen: dict[str, Column] = {}
        for row in self.rows:
            for column in row.columns:
                seen.setdefault(column.key, column)
        return tuple(seen.values())


@dataclass(frozen=True)
class Layout:
    format: str
    tables: dict[str, TableSpec]


def _columns(items) -> tuple[Column, ...]:
    return tuple(
        Column(
            c["key"],
            c["label"],
            c.get("short", c["label"]),
            c.get("money", False),
            c.get("signed", False),
            c.get("parent"),
        )
        for c in items
    )


def _rows(items, columns, block=0) -> list[Row]:
    return [
        Row(
            r["key"],
            r["label"],
            r.get("short", r["label"]),
            re.compile(r.get("match", re.escape(r["label"]))),
            r.get("group"),
            block,
            columns,
        )
        for r in items
    ]


def _table(name: str, data: dict) -> TableSpec:
    rows: list[Row] = []
    blocks: list[str] = []
    if "blocks" in data:
        for index, block in enumerate(data["blocks"]):
            blocks.append(block["label"])
            rows += _rows(block["rows"], _columns(block["columns"]), index)
    else:
        rows = _rows(data["rows"], _columns(data["columns"]))
    groups = tuple((g["key"], re.compile(g["match"])) for g in data.get("groups", []))
    group_labels = {g["key"]: g.get("label", g["key"]) for g in data.get("groups", [])}
    return TableSpec(
        name,
        str(data["section"]),
        data["title"],
        tuple(data.get("detect", [])),
        data.get("layout", "grid"),
        data.get("align", "right"),
        tuple(rows),
        groups,
        group_labels,
        tuple(blocks),
        data.get("note"),
        tuple(data.get("signature", [])),
        tuple((tuple(left), tuple(right)) for left, right in data.get("balances", [])),
    )


class LayoutError(ValueError):
    """A layout file that does not follow the schema: the message names the file, table and key."""


_KEY = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$")
_SECTIONS = "一二三四五六"


def validate(data, source: str) -> None:
    """The schema of a table layout (rules/tables/*.yaml), checked before anything reads it."""

    def fail(where: str, message: str):
        raise LayoutError(f"{source}：{where}：{message}")

    if (
        not isinstance(data, dict)
        or not isinstance(data.get("format"), str)
        or not isinstance(data.get("tables"), dict)
    ):
        fail("文件", "应为 {format: 名称, tables: {表名: 表}}")
    for name, table in data["tables"].items():
        where = f"表 {name}"
        if not isinstance(table, dict):
            fail(where, "应为映射")
        unknown = set(table) - {
            "section",
            "title",
            "detect",
            "signature",
            "align",
            "layout",
            "blocks",
            "rows",
            "columns",
            "groups",
            "balances",
            "note",
        }
        if unknown:
            fail(where, f"未知的键 {', '.join(sorted(map(str, unknown)))}")
        if str(table.get("section")) not in tuple(_SECTIONS):
            fail(where, "section 应为 一 至 六 之一")
        if not isinstance(table.get("title"), str):
            fail(where, "缺少 title")
        blocks = table.get("blocks") if "blocks" in table else [table]
        if not isinstance(blocks, list) or not blocks:
            fail(where, "blocks 应为非空列表（或直接给 rows 和 columns）")
        keys: set[str] = set()
        for index, block in enumerate(blocks, 1):
            inner = f"{where} 第 {index} 块" if "blocks" in table else where
            for part in ("rows", "columns"):
                items = block.get(part) if isinstance(block, dict) else None
                if not isinstance(items, list) or not items:
                    fail(inner, f"{part} 应为非空列表")
                for item in items:
                    if (
                        not isinstance(item, dict)
                        or not isinstance(item.get("key"), str)
                        or not _KEY.match(item["key"])
                        or not isinstance(item.get("label"), str)
                    ):
                        fail(inner, f"{part} 的每一项需要 key（小写英文，可用 . 分级）和 label：{item!r:.60}")
                    if "match" in item:
                        try:
                            checked(str(item["match"]))  # the rules' own guard: no nested repeat, a length cap
                        except ValueError as error:
                            fail(inner, f"{item['key']} 的 match：{error}")
                    if part == "rows":
                        keys.add(item["key"])
        for left_right in table.get("balances", []) or []:
            if not (
                isinstance(left_right, list) and len(left_right) == 2 and all(isinstance(s, list) for s in left_right)
            ):
                fail(where, "balances 的每一项应为 [[左边的行…], [右边的行…]]")
            for key in (k for side in left_right for k in side):
                base = str(key).replace(".*", "")
                if base not in keys and not any(k.startswith(base + ".") for k in keys):
                    fail(where, f"balances 中的行「{key}」不在本表的 rows 中")


@cache
def layout(fmt: str, local: tuple[str, ...] = ()) -> Layout | None:
    """The table layout of a format: a rule pack's own file for that format (a local variant of
    the official tables, `local`) when one is given, else the built-in one."""
    for path in local:
        found = load_layout_file(path)
        if found.format == fmt:
            return found
    path = rules_dir() / "tables" / f"{fmt}.yaml"
    if not path.exists():
        return None
    return load_layout(path.read_text(encoding="utf-8"), str(path))


@cache
def load_layout_file(path: str) -> Layout:
    """A user's layout file: read through the guarded reader, validated against the schema."""
    from checker.user_files import UserFileError, read_text

    try:
        text = read_text(path, "表格布局文件", 2 * 1024 * 1024)
    except UserFileError as error:
        raise LayoutError(str(error)) from None
    return load_layout(text, path, parse_yaml)  # a user's file is parsed, not cached


def pack_layouts(paths) -> tuple[str, ...]:
    """The layout files of rule packs: tables/*.yaml inside each pack folder."""
    found: list[str] = []
    for path in paths:
        folder = Path(path) / "tables"
        if Path(path).is_dir() and folder.is_dir():
            found += [str(p) for p in sorted(folder.glob("*.yaml"))]
    return tuple(found)


def load_layout(text: str, source: str, parse=load_yaml) -> Layout:
    """A layout from its YAML, validated against the schema first (LayoutError otherwise)."""
    try:
        data = parse(text)
    except Exception as error:  # PyYAML is imported only when a text is parsed, not read from the cache
        import yaml

        if not isinstance(error, yaml.YAMLError):
            raise
        raise LayoutError(f"{source}：YAML 语法错误：{error}") from None
    validate(data, source)
    return Layout(data["format"], {name: _table(name, spec) for name, spec in data["tables"].items()})
