"""Linear table relations confirmed by compiled code: one function per relation and table, which
adds up every column's (or row's) cells at once and returns those it could not show to hold.

Nearly every relation of every report holds, in every column. Walking each column's plan term by
term in Python (a loop, a dict lookup and a branch per term) was the largest part of checking
a report's tables. The function made here has the plan written out as straight-line code with
the cell keys as constants. It is made once per relation, table and column set, and reused for
every report (the first report a process checks interprets the plans instead: see
Confirmation). What it returns goes to the general evaluator (engine/expr.py), which says why.

A plan is Expr.linear with each name made a cell key (see checks/tables.py, _Relation._plan):
(compare, (left terms, right terms)), a term being (sign, key, the keys of its group's leaves
when it is a sum() over a group, else ())."""

from __future__ import annotations

from typing import Callable, NamedTuple

from checker.engine.expr import rounded


class Column(NamedTuple):
    each: str  # the column (or row) name
    present: tuple[str, ...]  # the cell keys the relation reads: the report gives the column if it gives one
    anchor: str | None  # a cell key the report must give besides (an optional relation's anchor)
    plan: tuple | None  # None: not linear; the evaluator decides


Confirm = Callable[[dict, dict], list]


class Confirmation:
    """A relation's confirmation over its columns: interpreted for the first report a process
    checks, compiled for every report after it. Compiling all of a report's relations costs
    about 9 ms, which a one-file check would pay for one use; a folder pays it once."""

    __slots__ = ("columns", "compare", "_run")

    def __init__(self, columns: list[Column], compare: Callable | None):
        self.columns, self.compare = columns, compare
        self._run: Confirm = self._first

    def __call__(self, cells: dict, values: dict) -> list:
        return self._run(cells, values)

    def _first(self, cells: dict, values: dict) -> list:
        self._run = self._compiled
        return interpret(self.columns, self.compare, cells, values)

    def _compiled(self, cells: dict, values: dict) -> list:
        self._run = compile_confirmation(self.columns, self.compare)
        return self._run(cells, values)


def _total(terms, cells: dict, get):
    """A side's total, or None when a cell it reads is missing or not a number."""
    total = 0
    for sign, key, leaves in terms:
        keys = (leaves if key not in cells or any(k in cells for k in leaves) else (key,)) if leaves else None
        if keys is None:
            part = get(key)
            if part is None:
                return None
        else:
            part = 0  # a sum() adds up on its own first, as the evaluator does
            for k in keys:
                value = get(k)
                if value is None:
                    return None
                part += value
        total = total + part if sign > 0 else total - part
    return total


def interpret(columns: list[Column], compare: Callable | None, cells: dict, values: dict) -> list:
    """What compile_confirmation's function returns, worked out term by term."""
    get = values.get
    out = []
    for each, present, anchor, plan in columns:
        if not any(key in cells for key in present) or (anchor is not None and anchor not in cells):
            continue
        if plan is None:
            out.append(each)
            continue
        left, right = (_total(side, cells, get) for side in plan[1])
        if left is None or right is None or not compare(rounded(left), rounded(right)):
            out.append(each)
    return out


def _sum(keys) -> str:
    return "(0 + " + " + ".join(f"get({key!r})" for key in keys) + ")"


def _side(terms) -> str:
    """A side as an expression over `get` (a missing or non-numeric cell is None, and adding
    None raises TypeError: not shown to hold). Terms are added left to right from 0, and a
    group's leaves summed first, as the evaluator adds them. A sum() over a group adds its
    leaves, or the group's own cell when the report gives the group as one row and none of its
    leaves (2019's （六）其他处理)."""
    out = "0"
    for sign, key, leaves in terms:
        if leaves:
            given = " or ".join(f"{leaf!r} in cells" for leaf in leaves)
            value = f"({_sum(leaves)} if {key!r} not in cells or ({given}) else {_sum((key,))})"
        else:
            value = f"get({key!r})"
        out += f" {'+' if sign > 0 else '-'} {value}"
    return out


def compile_confirmation(columns: list[Column], compare: Callable | None) -> Confirm:
    """f(cells, values) → the names of the columns the report gives (and whose anchor it gives)
    that are not shown to hold. `cells`: the report's keyed cells; `values`: its numeric cells'
    values by key."""
    lines = ["def confirm(cells, values):", "    get = values.get", "    out = []"]
    for column in columns:
        given = " or ".join(f"{key!r} in cells" for key in dict.fromkeys(column.present)) or "False"
        if column.anchor is not None:
            given = f"({given}) and {column.anchor!r} in cells"
        lines.append(f"    if {given}:")
        if column.plan is None:
            lines.append(f"        out.append({column.each!r})")
            continue
        left, right = column.plan[1]
        lines += [
            "        try:",
            f"            left = {_side(left)}",
            f"            right = {_side(right)}",
            "        except TypeError:",
            f"            out.append({column.each!r})",
            "        else:",
            "            if left.__class__ is not int or right.__class__ is not int:",
            "                left, right = rounded(left), rounded(right)",
            "            if not compare(left, right):",
            f"                out.append({column.each!r})",
        ]
    lines.append("    return out")
    namespace = {"rounded": rounded, "compare": compare}
    exec(compile("\n".join(lines), "<linear relation>", "exec"), namespace)  # noqa: S102 - our own code, keys as literals
    return namespace["confirm"]
