"""The rule expression language."""

from __future__ import annotations

import pytest

from checker.engine.expr import ExprError, Unknown, compile_expr, evaluate


def _resolver(values):
    def resolve(name):
        if values.get(name) is None:
            raise Unknown()
        return values[name]

    return resolve


def test_comparison_holds_and_fails():
    expr = compile_expr("new + carried_over == outcome.total + carried_forward")
    assert expr.names() == ["new", "carried_over", "outcome.total", "carried_forward"]
    ok = evaluate(expr, _resolver({"new": 3, "carried_over": 1, "outcome.total": 2, "carried_forward": 2}))
    assert (ok.holds, ok.left, ok.right) == (True, 4, 4)
    bad = evaluate(expr, _resolver({"new": 5, "carried_over": 1, "outcome.total": 2, "carried_forward": 2}))
    assert (bad.holds, bad.left, bad.right) == (False, 6, 4)


def test_unknown_term_makes_relation_not_assessable():
    expr = compile_expr("a + b == c")
    result = evaluate(expr, _resolver({"a": 1, "b": None, "c": 1}))
    assert result.holds is None and result.unknown == ["b"]


def test_sum_expands_and_precedence():
    expr = compile_expr("total == sum(group) * 2 - -1")
    result = evaluate(
        expr,
        _resolver({"total": 7, "group.a": 1, "group.b": 2}),
        lambda name: ["group.a", "group.b"] if name == "group" else [name],
    )
    assert result.holds is True


def test_float_money_compares_after_rounding():
    expr = compile_expr("a + b == c")
    assert evaluate(expr, _resolver({"a": 0.1, "b": 0.2, "c": 0.3})).holds is True


@pytest.mark.parametrize("source", ["a +", "a == == b", "__import__('os')", "a; b"])
def test_bad_expression_is_rejected(source):
    with pytest.raises(ExprError):
        compile_expr(source)
