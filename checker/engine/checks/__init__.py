"""The registered check types. A rule in YAML names one of these and gives its parameters;
`prepare` validates and compiles the parameters once, `run` yields Hits for one document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from checker.engine.context import Context
from checker.engine.finding import Hit


@dataclass(frozen=True)
class CheckType:
    name: str
    run: Callable[[Context, dict], Iterable[Hit]]
    prepare: Callable[[dict], dict]
    doc: str
    options: tuple[str, ...] = ()  # optional parameters a rule may leave out (and a config set)


CHECKS: dict[str, CheckType] = {}


def check(name: str, prepare: Callable[[dict], dict] | None = None, options: tuple[str, ...] = ()):
    def register(func):
        CHECKS[name] = CheckType(name, func, prepare or (lambda params: params), (func.__doc__ or "").strip(),
                                 options)
        return func

    return register


def fmt_number(value) -> str:
    """A figure for a message: 12, 215.6, or ? when unknown."""
    if value is None:
        return "?"
    return f"{value:g}" if isinstance(value, float) else str(value)


def require(params: dict, *names: str) -> None:
    for name in names:
        if name not in params:
            raise KeyError(f"缺少参数 {name}")


# the modules register their checks on import
from checker.engine.checks import consistency, content, dates, structure, tables, text  # noqa: E402,F401
