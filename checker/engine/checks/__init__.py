"""The check types, one module per family; each registers its checks in checker.engine.registry
when imported, which importing this package does."""

from checker.engine.registry import (
    CHECKS,
    CLAUSE,
    P,
    check,
    context_free,
    fmt_number,
    pattern,
    phrasings,
    require,
)
from checker.engine.checks import consistency, content, dates, scope, structure, tables, text  # noqa: E402

__all__ = [
    "CHECKS",
    "CLAUSE",
    "P",
    "check",
    "context_free",
    "fmt_number",
    "pattern",
    "phrasings",
    "require",
    "consistency",
    "content",
    "dates",
    "scope",
    "structure",
    "tables",
    "text",
]
