"""The registry of check types. A rule in YAML names one of these and gives its parameters;
`prepare` validates and compiles the parameters once, `run` yields Hits for one document. The
modules of checker/engine/checks/ register theirs on import (checker.engine.checks imports them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from checker.patterns import checked as pattern, distributed, original  # noqa: F401 - pattern: the rules' name for it


@dataclass(frozen=True)
class P:
    """One parameter of a check type: its kind, what it means, whether a rule must give it.
    Kinds: str, number, bool, list, dict, sections (a list of 一…六), pattern (a regular
    expression), patterns (one or a list of them), exprs (one expression or a list), cells (a
    cell key or a list of them, read as their sum; a key may name a group's rows with `*`)."""

    kind: str
    doc: str
    required: bool = False
    default: object = None  # what a rule that leaves it out gets (the one place it is written)


_KINDS = {
    "str": (str,),
    "number": (int, float),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
    "sections": (list,),
    "pattern": (str,),
    "patterns": (str, list),
    "exprs": (str, list),
    "cells": (str, list),
}
_KIND_NAMES = {
    "str": "文字",
    "number": "数",
    "bool": "true 或 false",
    "list": "列表",
    "dict": "映射",
    "sections": "部分序号的列表（一…六）",
    "pattern": "正则表达式",
    "patterns": "正则表达式或其列表",
    "exprs": "表达式或其列表",
    "cells": "单元格键或其列表（合计）",
}


SCOPES = ("document", "batch", "tool")


@dataclass(frozen=True)
class CheckType:
    """A check type. Its scope says what runs it: `document` — the runner, on one report's facts
    (`run(ctx, params)` yields Hits); `batch` — the audit, on many reports' (`run(docs, current,
    rule)` returns {report index: findings}, attached by checker/audit when it is imported);
    `tool` — no run: codes the tool itself reports (an unreadable file, a failed rule, the gate)."""

    name: str
    run: Callable | None
    prepare: Callable[[dict], dict]
    doc: str
    options: tuple[str, ...] = ()  # optional parameters a rule may leave out (and a config set)
    params: dict = None  # name → P: the schema a rule's params are validated against at load
    reads: str = ""  # what facts (or text) it reads, for rule authors
    scope: str = "document"

    def complete(self, params: dict) -> dict:
        """The parameters with every one a rule left out set to its declared default, so that a
        check reads params[key] and no default is written twice."""
        import copy

        return {
            **{
                key: copy.deepcopy(spec.default)
                for key, spec in (self.params or {}).items()
                if spec.default is not None
            },
            **params,
        }

    def validate(self, params: dict) -> None:
        """Every key known (with "did you mean"), every required one given, each of its kind.
        Raises ValueError with the reason in Chinese."""
        import difflib

        schema = self.params or {}
        for key in params:
            if key not in schema:
                close = difflib.get_close_matches(str(key), list(schema), n=1)
                hint = (
                    f"，是否想写「{close[0]}」？"
                    if close
                    else (f"；可用：{', '.join(schema)}" if schema else "；这种检查没有参数")
                )
                raise ValueError(f"「{key}」不是 {self.name} 的参数{hint}")
        for key, spec in schema.items():
            if key not in params:
                if spec.required:
                    raise ValueError(f"缺少参数 {key}（{spec.doc}）")
                continue
            value = params[key]
            if isinstance(value, bool) and spec.kind == "number" or not isinstance(value, _KINDS[spec.kind]):
                raise ValueError(f"参数 {key} 应为{_KIND_NAMES[spec.kind]}，写的是 {type(value).__name__}")
            if spec.kind in ("pattern", "patterns"):  # every pattern through the one guard, whatever prepare does
                for item in value if isinstance(value, list) else [value]:
                    try:
                        pattern(item)
                    except ValueError as error:
                        raise ValueError(f"参数 {key}：{error}") from None


CHECKS: dict[str, CheckType] = {}


def check(
    name: str,
    prepare: Callable[[dict], dict] | None = None,
    options: tuple[str, ...] = (),
    params: dict | None = None,
    reads: str = "",
):
    """Registers a document check: the decorated function is its run."""

    def register(func):
        CHECKS[name] = CheckType(
            name, func, prepare or (lambda params: params), (func.__doc__ or "").strip(), options, params or {}, reads
        )
        return func

    return register


def declare(
    name: str,
    scope: str,
    doc: str,
    prepare: Callable[[dict], dict] | None = None,
    options: tuple[str, ...] = (),
    params: dict | None = None,
    reads: str = "",
) -> None:
    """Registers a batch or tool check type: its parameters, so that rules using it are checked
    at load wherever they are loaded; a batch check's run is attached by the audit (`runs`)."""
    assert scope in ("batch", "tool"), scope
    CHECKS[name] = CheckType(
        name, None, prepare or (lambda params: params), doc.strip(), options, params or {}, reads, scope
    )


def runs(name: str):
    """The audit's decorator: the function is the run of the declared batch check `name`."""

    def attach(func):
        from dataclasses import replace

        declared = CHECKS[name]
        assert declared.scope == "batch", name
        CHECKS[name] = replace(declared, run=func)
        return func

    return attach


def by_scope(scope: str) -> list[CheckType]:
    """The registered check types of a scope, by name."""
    return [CHECKS[name] for name in sorted(CHECKS) if CHECKS[name].scope == scope]


def fmt_number(value) -> str:
    """A figure for a message: 12, 215.6, or ? when unknown."""
    if value is None:
        return "?"
    return f"{value:g}" if isinstance(value, float) else str(value)


CLAUSE = re.compile(r"[^，,。；;！!？?]+")  # a clause of running text: what a phrasing is matched within


def context_free(compiled: re.Pattern, parsed=None) -> bool:
    """Whether the pattern's matches depend only on the characters they cover (no ^, $, \\b or
    lookaround): then a match inside a clause is a match in the whole text, and a text it does
    not match holds no clause it matches — a safe filter before matching clause by clause."""
    from re import _parser

    for op, value in parsed if parsed is not None else _parser.parse(original(compiled)):
        if op in (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT, _parser.GROUPREF, _parser.GROUPREF_EXISTS):
            return False
        if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT):
            inner = [value[2]]
        elif op == _parser.SUBPATTERN:
            inner = [value[-1]]
        elif op == _parser.BRANCH:
            inner = value[1]
        else:
            continue
        if not all(context_free(compiled, body) for body in inner):
            return False
    return True


def phrasings(value) -> re.Pattern:
    """A pattern, or a list of them (a vocabulary of phrasings), as one checked pattern (a phrasing
    opening with a group of words is written out word by word: patterns.distributed)."""
    items = value if isinstance(value, list) else [value]
    return pattern(
        "|".join(f"(?:{p})" for item in items for p in (distributed(item) if isinstance(item, str) else [item]))
    )


def require(params: dict, *names: str) -> None:
    for name in names:
        if name not in params:
            raise KeyError(f"缺少参数 {name}")
