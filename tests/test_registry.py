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
        found += [f"{path.relative_to(PACKAGE)}:{t.start[0]} {t.string}" for t in tokens
                  if t.type == tokenize.STRING and CODE.match(t.string)]
    assert found == []


def test_every_code_the_tool_reports_itself_is_a_rule_with_its_check_type():
    rules = builtin_rules()
    for check, kind in (("input", "unreadable"), ("input", "scanned"), ("rule-failed", None),
                        ("gate", "expired-waiver"), ("gate", "unused-waiver"), ("gate", "invalid-directive"),
                        ("gate", "stale-baseline"), ("carry-over", None), ("stock-flow", None),
                        ("similar-text", None), ("deadline", None)):
        assert rule_for(rules, check, kind) is not None, (check, kind)
