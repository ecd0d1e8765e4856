"""The pipeline reads in one direction (issue 32 §5): no stage imports a later one, and no module
imports itself back through others — imports inside functions counted, as they run too."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "checker"

# stages in the order the pipeline runs them; a module imports only its own stage and those before
STAGES = [
    (
        "shared",
        [
            "checker.numerals",
            "checker.years",
            "checker.kinds",
            "checker.patterns",
            "checker.os_reasons",
            "checker.resources",
            "checker.user_cache",
            "checker.regex_cache",
            "checker.safe_write",
            "checker.vocab",
        ],
    ),
    ("ingest", ["checker.ingest", "checker.user_files"]),  # (a user's own file is read as input is)
    ("normalize", ["checker.reflow", "checker.normalize"]),
    ("parse", ["checker.parse"]),
    ("facts", ["checker.facts"]),
    ("engine", ["checker.engine"]),
    (
        "front",
        [
            "checker.pipeline",
            "checker.parallel",
            "checker.batch",
            "checker.fixes",
            "checker.formats",
            "checker.gate",
            "checker.collector",
            "checker.audit",
            "checker.api",
            "checker.serve",
            "checker.cli",
            "checker.cli_chinese",
            "checker.__main__",
        ],
    ),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module's imports of other checker modules (a `from package import module` counts as
    the module, not the package)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
                ]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def _stage(module: str) -> int:
    for rank, (_, prefixes) in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES")


def test_every_module_has_a_stage():
    for name in _modules():
        if name != "checker":
            _stage(name)


def test_no_stage_imports_a_later_one():
    modules = _modules()
    later = sorted(
        f"{name} → {target}"
        for name, targets in _imports(modules).items()
        if name != "checker"
        for target in targets
        if target != "checker" and _stage(target) > _stage(name)
    )
    assert later == []


def test_no_import_cycle():
    """(The package's own __init__ is a lazy facade over checker.api, for `from checker import
    check_path`: it is no stage, and its edge is left out.)"""
    graph = _imports(_modules())
    graph.pop("checker", None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target == "checker":
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    assert cycles == []
