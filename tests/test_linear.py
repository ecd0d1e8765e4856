"""The confirmation of table relations (engine/linear.py), compiled and interpreted, agrees
with the general evaluator: a column it passes holds, a column it sends on does not (or is not
linear), and a column the report does not give is never sent on. Checked on the clean 2021 and
2019 reports with cells removed, blanked, changed, made fractional or given with their group's
own row at random, for every equation rule."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.checks.tables import _balance, _Relation, _values
from checker.engine.context import Context
from checker.engine.linear import compile_confirmation, interpret
from checker.engine.rules import builtin_rules
from checker.pipeline import check_bytes
from conftest import EXAMPLES

BUDGET = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
# 2019's report gives （六）其他处理 as one row, where 2021's table has its leaves
_CLEAN = {name: check_bytes((EXAMPLES / name).read_bytes(), name) for name in ("clean-2021.md", "clean-2019.md")}
_EQUATIONS = [rule for rule in builtin_rules() if rule.check == "equation"]
_COMPILED: dict = {}  # id(confirmation) → (it, its compiled function): compiled once, as a process does
_HOW = ["drop", "blank", "bump", "half", "zero", "parent"]


def _damaged(result, changes):
    cells = dict(result.facts.cells)
    for key, how in changes:
        if key not in cells:
            continue
        cell = cells[key]
        if how == "drop":
            del cells[key]
        elif how == "parent":  # the cell's group given as a row of its own as well (…other.natural_person)
            *row, column = key.split(".")
            parent = ".".join(row[:-1] + [column])
            if len(row) > 2 and parent not in cells and cell.kind in ("number", "zero"):
                cells[parent] = dataclasses.replace(cell, key=parent, row=".".join(row[1:-1]), value=cell.value + 1000)
        elif how == "blank":
            cells[key] = dataclasses.replace(cell, kind="blank", value=None, text="")
        elif cell.kind in ("number", "zero"):
            value = {"bump": cell.value + 1, "half": cell.value + 0.5, "zero": 0}[how]
            cells[key] = dataclasses.replace(cell, kind="zero" if value == 0 else "number", value=value)
    return dataclasses.replace(result.facts, cells=cells)


def test_the_rules_have_relations_over_every_official_table():
    assert {rule.params["table"] for rule in _EQUATIONS} >= {"active", "requests", "appeals"}


@BUDGET
@given(st.data())
def test_the_confirmation_agrees_with_the_evaluator(data):
    result = _CLEAN[data.draw(st.sampled_from(sorted(_CLEAN)))]
    changes = data.draw(
        st.lists(st.tuples(st.sampled_from(sorted(result.facts.cells)), st.sampled_from(_HOW)), max_size=12)
    )
    facts = _damaged(result, changes)
    ctx = Context(result.document, result.report, facts)
    cells, values = facts.cells, _values(ctx)
    for rule in _EQUATIONS:
        params = rule.params
        if params["table"] not in facts.layout.tables:
            continue
        spec = facts.layout.tables[params["table"]]
        by_column = params["each"] == "column"
        exprs = params["compiled"] if params["compiled"] is not None else _balance(spec, params["balance"])
        for expr in exprs:
            relation = _Relation(ctx, spec, expr, by_column)
            eaches = tuple(params.get("over") or (spec.column if by_column else spec.row_by_key))
            anchor = (params.get("anchor") or expr.names()[0]) if params.get("optional") else None
            confirmation = relation.confirmation(eaches, anchor)
            if id(confirmation) not in _COMPILED:
                _COMPILED[id(confirmation)] = (
                    confirmation,
                    compile_confirmation(confirmation.columns, confirmation.compare),
                )
            sent = _COMPILED[id(confirmation)][1](cells, values)
            # the first report of a process is interpreted: the same columns
            assert interpret(confirmation.columns, confirmation.compare, cells, values) == sent
            for each in eaches:
                given = any(key in cells for key in relation.planned(each)[0]) and (
                    anchor is None or relation.key(anchor, each) in cells
                )
                holds = relation.evaluate(each).holds
                if not given:
                    assert each not in sent, (rule.code, each)
                elif each not in sent:
                    assert holds is True, (rule.code, each)
                elif expr.linear is not None:
                    assert holds is not True, (rule.code, each, changes)


def test_a_relation_is_compiled_only_when_a_second_report_uses_it(monkeypatch):
    """A one-file check interprets its relations and compiles none (compiling them all costs
    more than that one use); from the second report on, each is compiled once."""
    from checker.engine import linear

    compiled, real = [], linear.compile_confirmation

    def counted(columns, compare):
        compiled.append(columns)
        return real(columns, compare)

    monkeypatch.setattr(linear, "compile_confirmation", counted)
    result = _CLEAN["clean-2021.md"]
    confirmation = linear.Confirmation(*_a_confirmation(result))
    cells, values = result.facts.cells, _values(Context(result.document, result.report, result.facts))
    first = confirmation(cells, values)
    assert compiled == []
    assert confirmation(cells, values) == first and len(compiled) == 1
    assert confirmation(cells, values) == first and len(compiled) == 1


def _a_confirmation(result):
    rule = next(r for r in _EQUATIONS if r.params["table"] == "requests")
    spec = result.facts.layout.tables["requests"]
    expr = (
        rule.params["compiled"][0] if rule.params["compiled"] is not None else _balance(spec, rule.params["balance"])[0]
    )
    relation = _Relation(
        Context(result.document, result.report, result.facts), spec, expr, rule.params["each"] == "column"
    )
    made = relation.confirmation(tuple(spec.column if rule.params["each"] == "column" else spec.row_by_key), None)
    return made.columns, made.compare
