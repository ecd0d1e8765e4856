"""The small expression language of rules (grammars/expr.lark), compiled once, evaluated with
unknowns: a term that is blank, "/", text or missing makes the relation not assessable,
never passed and never failed."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Callable

from lark import Lark, Token, Tree
from lark.exceptions import LarkError


_COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


class ExprError(ValueError):
    pass


class Unknown(Exception):
    """Raised through evaluation when a term has no number."""


@cache
def _parser() -> Lark:
    from checker.resources import grammar_path
    from checker.user_cache import lalr

    return lalr(grammar_path("expr.lark"))


@dataclass(frozen=True)
class Expr:
    source: str
    tree: Tree | Token

    def names(self) -> list[str]:
        return list(_names_of(self.tree))

    def sides(self) -> tuple["Expr", "Expr"] | None:
        """The two sides of a top-level comparison."""
        return self._sides

    @cached_property  # evaluated for every row and column of every report
    def _sides(self) -> tuple["Expr", "Expr"] | None:
        if isinstance(self.tree, Tree) and self.tree.data == "comparison":
            left, _, right = self.tree.children
            return Expr(self.source, left), Expr(self.source, right)
        return None

    @cached_property
    def linear(self) -> tuple[Callable, tuple, tuple] | None:
        """A comparison of two sums of cells — "total == a + b + sum(group)", as nearly every
        table relation is — as (the comparison, left terms, right terms), each term (sign, name,
        is sum()); None for anything else. It lets a relation that holds be confirmed by adding
        numbers, without the general evaluator (which still explains one that does not)."""
        sides = self.sides()
        if sides is None:
            return None
        terms = (_terms(sides[0].tree, 1), _terms(sides[1].tree, 1))
        if terms[0] is None or terms[1] is None:
            return None
        return _COMPARE[str(self.tree.children[1])], terms[0], terms[1]


def _terms(node, sign: int) -> tuple | None:
    if not isinstance(node, Tree):
        return None
    if node.data == "ref":
        return ((sign, str(node.children[0]), False),)
    if node.data == "call" and str(node.children[0]) == "sum":
        args = [a for a in node.children[1:] if a is not None]
        if all(isinstance(a, Tree) and a.data == "ref" for a in args):
            return tuple((sign, str(a.children[0]), True) for a in args)
        return None
    if node.data == "neg":
        return _terms(node.children[0], -sign)
    if node.data == "sum":
        out = _terms(node.children[0], sign)
        for op, operand in zip(node.children[1::2], node.children[2::2]):
            more = _terms(operand, sign if str(op) == "+" else -sign)
            if out is None or more is None:
                return None
            out += more
        return out
    return None


_NAMES: dict[int, tuple] = {}  # id(tree) → (tree, names)


def _names_of(tree) -> tuple[str, ...]:
    """The cell names a (sub)expression reads, computed once per parsed tree."""
    entry = _NAMES.get(id(tree))
    if entry is None or entry[0] is not tree:
        out: list[str] = []
        _names(tree, out)
        entry = _NAMES[id(tree)] = (tree, tuple(out))
    return entry[1]


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


MAX_SOURCE = 2000  # characters: the longest official relation is a few hundred
MAX_DEPTH = 32  # nested parentheses
MAX_DIGITS = 15  # a constant longer than this is no count


@cache
def compile_expr(source: str) -> Expr:
    if not isinstance(source, str):
        raise ExprError(f"表达式应为字符串，写的是 {type(source).__name__}")
    if len(source) > MAX_SOURCE:
        raise ExprError(f"表达式过长（{len(source)} 个字符，上限 {MAX_SOURCE}）")
    depth = deepest = 0
    for ch in source:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise ExprError(f"表达式括号嵌套过深（{deepest} 层，上限 {MAX_DEPTH}）")
    if re.search(r"\d{%d,}" % (MAX_DIGITS + 1), source):
        raise ExprError(f"表达式中的常数超过 {MAX_DIGITS} 位")
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


def _compile(node) -> Callable:
    """The tree as nested closures f(resolve, expand, unknown), built once per expression, so
    that evaluating a relation for every row and column does not walk the parse tree."""
    if isinstance(node, Token):
        raise ExprError(f"unexpected token {node}")
    kind = node.data
    if kind == "number":
        text = str(node.children[0])
        constant = float(text) if "." in text else int(text)
        return lambda resolve, expand, unknown: constant
    if kind == "ref":
        name = str(node.children[0])

        def ref(resolve, expand, unknown):
            try:
                return resolve(name)
            except Unknown:
                unknown.append(name)
                raise

        return ref
    if kind == "neg":
        inner = _compile(node.children[0])
        return lambda resolve, expand, unknown: -inner(resolve, expand, unknown)
    if kind == "call":
        func, *args = node.children
        args = [a for a in args if a is not None]
        if str(func) == "sum":
            parts = [
                ("ref", str(a.children[0])) if isinstance(a, Tree) and a.data == "ref" else ("expr", _compile(a))
                for a in args
            ]

            def total(resolve, expand, unknown):
                value, missing = 0, False
                for kind_, part in parts:
                    if kind_ == "expr":
                        value += part(resolve, expand, unknown)
                        continue
                    for name in expand(part):
                        try:
                            value += resolve(name)
                        except Unknown:
                            unknown.append(name)
                            missing = True
                if missing:
                    raise Unknown()
                return value

            return total
        function = {"abs": lambda v: abs(v[0]), "min": min, "max": max}[str(func)]
        compiled = [_compile(a) for a in args]
        return lambda resolve, expand, unknown: function([c(resolve, expand, unknown) for c in compiled])
    if kind in ("sum", "product"):
        first = _compile(node.children[0])
        steps = [(str(op), _compile(operand)) for op, operand in zip(node.children[1::2], node.children[2::2])]

        def arithmetic(resolve, expand, unknown):
            value = first(resolve, expand, unknown)
            for op, operand in steps:
                right = operand(resolve, expand, unknown)
                if op == "/" and right == 0:
                    raise Unknown()
                value = _ARITH[op](value, right)
            return value

        return arithmetic
    if kind == "comparison":
        left, op, right = node.children
        compare, left_f, right_f = _COMPARE[str(op)], _compile(left), _compile(right)
        return lambda resolve, expand, unknown: compare(
            left_f(resolve, expand, unknown), right_f(resolve, expand, unknown)
        )
    if kind in ("and_expr", "or_expr"):
        parts = [_compile(c) for c in node.children]
        combine = all if kind == "and_expr" else any
        return lambda resolve, expand, unknown: combine(p(resolve, expand, unknown) for p in parts)
    raise ExprError(f"unknown node {kind}")


_COMPILED: dict[int, tuple] = {}  # id(tree) → (tree, function); the tree is kept so the id stays its own


def _eval(node, resolve: Resolver, expand: Expander, unknown: list[str]):
    entry = _COMPILED.get(id(node))
    if entry is None or entry[0] is not node:
        entry = _COMPILED[id(node)] = (node, _compile(node))
    return entry[1](resolve, expand, unknown)


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
        return Evaluation(bool(_COMPARE[op](rounded(left), rounded(right))), left, right, unknown)
    value = _value(expr.tree, resolve, expand, unknown)
    return Evaluation(None if value is None else bool(value), None, None, unknown)


def rounded(value):
    """A float total rounded to 6 places, as relations compare them (0.1 + 0.2 == 0.3); an int as it is."""
    return round(value, 6) if isinstance(value, float) else value
