"""One registry for every code: the tool finds the rules that report its own problems (an
unreadable file, a failed rule, a waiver, the baseline, the cross-report checks, the deadline)
by their check type, so no rule code is written in Python — the codes live in the YAML alone."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from checker.engine.rules import builtin_rules, rule_for

PACKAGE = Path(__file__).resolve().parent.parent / "checker"
CODE = re.compile(r"^[rbuRBU]*['\"][ESTACNDQ]\d{3}['\"]$")


def test_no_rule_code_literal_in_python():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        found += [
            f"{path.relative_to(PACKAGE)}:{t.start[0]} {t.string}"
            for t in tokens
            if t.type == tokenize.STRING and CODE.match(t.string)
        ]
    assert found == []


def test_every_code_the_tool_reports_itself_is_a_rule_with_its_check_type():
    rules = builtin_rules()
    for check, kind in (
        ("input", "unreadable"),
        ("input", "scanned"),
        ("rule-failed", None),
        ("gate", "expired-waiver"),
        ("gate", "unused-waiver"),
        ("gate", "invalid-directive"),
        ("gate", "stale-baseline"),
        ("carry-over", None),
        ("stock-flow", None),
        ("similar-text", None),
        ("deadline", None),
    ):
        assert rule_for(rules, check, kind) is not None, (check, kind)


def test_every_check_type_has_a_scope_and_no_run_is_a_stub():
    """One registry by scope (issue 32 §1): a document check's run does its work; a batch check's
    run is attached by the audit; a tool check has none (the tool reports its codes itself)."""
    import ast
    import inspect
    import textwrap

    import checker.audit.cross  # noqa: F401 - attaches the batch runs
    from checker.engine.registry import CHECKS, SCOPES, by_scope

    assert {c.scope for c in CHECKS.values()} <= set(SCOPES)
    assert sorted(c.name for s in SCOPES for c in by_scope(s)) == sorted(CHECKS)
    for check in by_scope("tool"):
        assert check.run is None, check.name
    for check in by_scope("document") + by_scope("batch"):
        assert check.run is not None, check.name
        body = ast.parse(textwrap.dedent(inspect.getsource(check.run))).body[0].body
        statements = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        stub = (
            len(statements) == 1
            and isinstance(statements[0], ast.Return)
            and (
                statements[0].value is None
                or isinstance(statements[0].value, ast.Tuple)
                and not statements[0].value.elts
            )
        )
        assert not stub, f"{check.name} is a stub"
