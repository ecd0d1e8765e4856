"""The small expression language of rules (grammars/expr.lark), compiled once, evaluated with
unknowns: a term that is blank, "/", text or missing makes the relation not assessable,
never passed and never failed."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import cache
from typing import Callable

from lark import Lark, Token, Tree
from lark.exceptions import LarkError

from checker.resources import grammar_path

_COMPARE = {"==": operator.eq, "!=": operator.ne, "<=": operator.le, ">=": operator.ge,
            "<": operator.lt, ">": operator.gt}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


class ExprError(ValueError):
    pass


class Unknown(Exception):
    """Raised through evaluation when a term has no number."""


@cache
def _parser() -> Lark:
    return Lark(grammar_path("expr.lark").read_text(encoding="utf-8"), parser="lalr")


@dataclass(frozen=True)
class Expr:
    source: str
    tree: Tree | Token

    def names(self) -> list[str]:
        return list(_names_of(self.tree))

    def sides(self) -> tuple["Expr", "Expr"] | None:
        """The two sides of a top-level comparison."""
        if isinstance(self.tree, Tree) and self.tree.data == "comparison":
            left, _, right = self.tree.children
            return Expr(self.source, left), Expr(self.source, right)
        return None


_NAMES: dict[int, tuple[str, ...]] = {}


def _names_of(tree) -> tuple[str, ...]:
    """The cell names a (sub)expression reads, computed once per parsed tree."""
    key = id(tree)
    if key not in _NAMES:
        out: list[str] = []
        _names(tree, out)
        _NAMES[key] = tuple(out)
    return _NAMES[key]


def _names(node, out: list[str]):
    if isinstance(node, Tree):
        if node.data == "ref":
            out.append(str(node.children[0]))
        elif node.data == "call":
            for child in node.children[1:]:
                if child is not None:
                    _names(child, out)
        else:
            for child in node.children:
                _names(child, out)


@cache
def compile_expr(source: str) -> Expr:
    try:
        return Expr(source, _parser().parse(source))
    except LarkError as error:
        raise ExprError(f"表达式「{source}」无法解析：{str(error).splitlines()[0]}") from error


@dataclass
class Evaluation:
    holds: bool | None  # None: not assessable
    left: float | None = None
    right: float | None = None
    unknown: list[str] = field(default_factory=list)


Resolver = Callable[[str], float]  # returns the number for a name, raises Unknown
Expander = Callable[[str], list[str]]  # sum(name) → the names it adds


def _eval(node, resolve: Resolver, expand: Expander, unknown: list[str]):
    if isinstance(node, Token):
        raise ExprError(f"unexpected token {node}")
    kind = node.data
    if kind == "number":
        text = str(node.children[0])
        return float(text) if "." in text else int(text)
    if kind == "ref":
        name = str(node.children[0])
        try:
            return resolve(name)
        except Unknown:
            unknown.append(name)
            raise
    if kind == "neg":
        return -_eval(node.children[0], resolve, expand, unknown)
    if kind == "call":
        func, *args = node.children
        args = [a for a in args if a is not None]
        if str(func) == "sum":
            total, missing = 0, False
            for arg in args:
                if isinstance(arg, Tree) and arg.data == "ref":
                    for name in expand(str(arg.children[0])):
                        try:
                            total += resolve(name)
                        except Unknown:
                            unknown.append(name)
                            missing = True
                else:
                    total += _eval(arg, resolve, expand, unknown)
            if missing:
                raise Unknown()
            return total
        values = [_eval(a, resolve, expand, unknown) for a in args]
        return {"abs": lambda v: abs(v[0]), "min": min, "max": max}[str(func)](values)
    if kind in ("sum", "product"):
        children = node.children
        value = _eval(children[0], resolve, expand, unknown)
        for op, operand in zip(children[1::2], children[2::2]):
            right = _eval(operand, resolve, expand, unknown)
            if str(op) == "/" and right == 0:
                raise Unknown()
            value = _ARITH[str(op)](value, right)
        return value
    if kind == "comparison":
        left, op, right = node.children
        return _COMPARE[str(op)](_eval(left, resolve, expand, unknown), _eval(right, resolve, expand, unknown))
    if kind == "and_expr":
        return all(_eval(c, resolve, expand, unknown) for c in node.children)
    if kind == "or_expr":
        return any(_eval(c, resolve, expand, unknown) for c in node.children)
    raise ExprError(f"unknown node {kind}")


def _value(node, resolve, expand, unknown):
    try:
        return _eval(node, resolve, expand, unknown)
    except Unknown:
        return None


def evaluate(expr: Expr, resolve: Resolver, expand: Expander = lambda name: [name]) -> Evaluation:
    """Evaluate every term even after an unknown one, so the finding can name all unknowns."""
    unknown: list[str] = []
    sides = expr.sides()
    if sides:
        left = _value(sides[0].tree, resolve, expand, unknown)
        right = _value(sides[1].tree, resolve, expand, unknown)
        if left is None or right is None:
            return Evaluation(None, left, right, unknown)
        op = str(expr.tree.children[1])
        return Evaluation(bool(_COMPARE[op](_round(left), _round(right))), left, right, unknown)
    value = _value(expr.tree, resolve, expand, unknown)
    return Evaluation(None if value is None else bool(value), None, None, unknown)


def _round(value):
    return round(value, 6) if isinstance(value, float) else value
