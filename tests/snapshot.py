"""What the checker makes of every real and example report: each finding (code, where it points,
message digest) and each keyed cell (kind, value, text digest, where). Speed work must leave it unchanged, so a test
compares it with tests/fixtures/snapshot.json; after a deliberate change to a rule or a reader,
rewrite the fixture with `python tests/snapshot.py --write` and read its diff."""

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

FIXTURE = HERE / "fixtures" / "snapshot.json"


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
    result = check_bytes(data, name)
    findings = [
        [
            f.code,
            f.severity,
            _where(f.loc),
            f.anchor,
            _digest(f.message),
            f.suppressed is not None,
            [[g.code, _where(g.loc), _digest(g.message)] for g in f.related],
        ]
        for f in result.findings
    ]
    cells = (
        {}
        if result.facts is None
        else {key: [c.kind, c.value, _digest(c.text), _where(c.loc)] for key, c in result.facts.cells.items()}
    )
    return {"findings": findings, "cells": cells}


def main() -> None:
    got = {name: snapshot(name, data) for name, data in inputs()}
    if "--write" in sys.argv:
        FIXTURE.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {FIXTURE} ({len(got)} files)")


if __name__ == "__main__":
    main()
