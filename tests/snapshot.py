"""What the checker makes of every example and real report: each finding (code, severity, where it
points, anchor, fingerprint, message) and each keyed cell (kind, value, text, where), one file per
input under tests/fixtures/snapshot/. Speed work and refactoring must leave it unchanged, so a test
compares it; after a deliberate change to a rule or a reader, rewrite the files with
`python tests/snapshot.py --write` and read the diff: a reworded message shows as its words.
Our own examples keep their messages and cell texts as written; a real report's are kept as a
digest, because its words (which messages quote) stay out of the project."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from batch import md_to_html  # noqa: E402
from checker.pipeline import check_bytes  # noqa: E402
from conftest import real_files  # noqa: E402

FIXTURES = HERE / "fixtures" / "snapshot"


def fixture(name: str) -> Path:
    """The file that records one input: examples/clean-2021.md → examples__clean-2021.md.json."""
    return FIXTURES / (name.replace("/", "__") + ".json")


def inputs() -> list[tuple[str, bytes]]:
    """Every example, seed and corpus file as it is, and each markdown example as a web page."""
    files = [
        (f"examples/{p.name}", p.read_bytes())
        for p in sorted((ROOT / "examples").iterdir())
        if p.suffix in (".md", ".docx")
    ]
    files += [
        (f"examples/{p.stem}.html", md_to_html(p.read_text(encoding="utf-8")).encode())
        for p in sorted((ROOT / "examples").glob("*.md"))
    ]
    for folder in ("seeds", "corpus"):
        files += [(f"{folder}/{p.name}", p.read_bytes()) for p in real_files(folder)]
    return files


def _where(loc) -> list | None:
    if loc is None:
        return None
    return [loc.line, loc.column, loc.page, loc.unit, list(loc.cell) if loc.cell else None]


def _digest(text: str) -> str:
    """Real reports' words stay out of the project: their text is kept as a digest."""
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def snapshot(name: str, data: bytes) -> dict:
    said = (lambda text: text) if name.startswith("examples/") else _digest
    result = check_bytes(data, name)
    findings = [
        [
            f.code,
            f.severity,
            _where(f.loc),
            f.anchor,
            f.fingerprint,
            said(f.message),
            f.suppressed is not None,
            [[g.code, _where(g.loc), said(g.message)] for g in f.related],
        ]
        for f in result.findings
    ]
    cells = (
        {}
        if result.facts is None
        else {key: [c.kind, c.value, said(c.text), _where(c.loc)] for key, c in result.facts.cells.items()}
    )
    return {"findings": findings, "cells": cells}


def dumped(record: dict) -> str:
    """One finding or cell a line, so that a diff shows what changed."""
    findings = ",\n  ".join(json.dumps(f, ensure_ascii=False) for f in record["findings"])
    cells = ",\n  ".join(
        f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(record["cells"].items())
    )
    return f'{{"findings": [\n  {findings}\n],\n"cells": {{\n  {cells}\n}}}}\n'


def main() -> None:
    if "--write" not in sys.argv:
        print("usage: python tests/snapshot.py --write")
        return
    FIXTURES.mkdir(exist_ok=True)
    names = []
    for name, data in inputs():
        fixture(name).write_text(dumped(snapshot(name, data)), encoding="utf-8")
        names.append(name)
    print(f"wrote {len(names)} files to {FIXTURES}")


if __name__ == "__main__":
    main()
