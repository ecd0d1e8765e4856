"""A finding's words are data (issue 32 §3): the check types hold no Chinese of their own — their
messages are in the rules' YAML, their vocabularies and phrases in rules/vocab/ — and no stage
after facts/ names a table cell: it asks facts/ for a key figure or reads the layout."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ROOT / "checker" / "engine" / "checks"
HAN = re.compile(r"[\u4e00-\u9fff]")
# documentation for rule authors (docs/rule-authoring.md): a parameter's help, a check's summary
DOCUMENTING = {"P", "declare", "check"}


def _documentation(tree: ast.AST) -> set[int]:
    """The string constants that document: docstrings and the arguments of P(), check(), declare()."""
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            found.add(id(body[0].value))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in DOCUMENTING:
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                found.update(id(n) for n in ast.walk(argument) if isinstance(n, ast.Constant))
    return found


def _strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _documentation(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def han_literals(path: Path) -> list[str]:
    return [f"{path.name}:{line}: {value!r}" for line, value in _strings(path) if HAN.search(value)]


def test_no_chinese_in_check_types():
    found = [hit for path in sorted(CHECKS.glob("*.py")) for hit in han_literals(path)]
    assert not found, "Chinese words in a check type belong in its rule's YAML or rules/vocab/:\n" + "\n".join(found)


def test_the_literal_test_sees_a_planted_literal(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text(
        '"""文档可以写中文。"""\nMESSAGE = "第{}部分缺少标题"\nP("list", "帮助文字")\n', encoding="utf-8"
    )
    assert han_literals(planted) == ["planted.py:2: '第{}部分缺少标题'"]


def _table_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "rules" / "tables").glob("*.yaml"):
        names |= set(yaml.safe_load(path.read_text(encoding="utf-8"))["tables"])
    return names


def cell_literals(path: Path, tables: set[str]) -> list[str]:
    """String constants (f-string parts too) that spell a cell key or a row prefix: `requests.new`."""
    key = re.compile(rf"^(?:{'|'.join(map(re.escape, sorted(tables)))})\.[a-z_*]")
    return [f"{path.name}:{line}: {value!r}" for line, value in _strings(path) if key.match(value)]


def test_no_cell_key_outside_facts():
    tables = _table_names()
    assert {"active", "requests", "appeals"} <= tables
    found = [
        hit
        for path in sorted((ROOT / "checker").rglob("*.py"))
        if "facts" not in path.relative_to(ROOT / "checker").parts
        for hit in cell_literals(path, tables)
    ]
    assert not found, "a stage after facts/ names a cell (ask checker.facts.key_figures):\n" + "\n".join(found)


def test_the_cell_test_sees_a_planted_key(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('KEY = "requests.new.total"\nROW = f"requests.carried_over.{1}"\n', encoding="utf-8")
    assert len(cell_literals(planted, _table_names())) == 2
