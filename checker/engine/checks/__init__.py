"""The check types, one module per family; each registers its checks in checker.engine.registry
when imported, which importing this package does."""

from checker.engine.registry import (CHECKS, CLAUSE, P, check, context_free, fmt_number, pattern,  # noqa: F401
                                     phrasings, require)
from checker.engine.checks import consistency, content, dates, scope, structure, tables, text  # noqa: F401,E402
