from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


def apply_edits(text: str, edits) -> str:
    for old, new in edits:
        count = text.count(old)
        assert count == 1, f"edit target must occur exactly once, found {count}: {old[:60]!r}"
        text = text.replace(old, new)
    return text


def check_text(text: str, name: str = "report.md", **overrides):
    from checker.facts import Overrides
    from checker.pipeline import check_bytes

    return check_bytes(text.encode("utf-8"), name, Overrides(**overrides))


def run_cli(*args, cwd=None, env=None, stdin: bytes | None = None):
    """`xxgk ARGS` in this process (Typer's CliRunner), shaped like a finished subprocess:
    returncode, stdout and stderr as bytes. A defect of ours still surfaces as the exception
    (a subprocess would print its traceback), never as an exit code a test could mistake."""
    import os
    from types import SimpleNamespace

    from typer.testing import CliRunner

    from checker.cli import app

    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner(env={k: str(v) for k, v in (env or {}).items()}).invoke(
            app, [str(a) for a in args], input=stdin)
    finally:
        os.chdir(here)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout_bytes, stderr=result.stderr_bytes)


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def every_finding(result) -> list:
    """The findings and, under each, those it subsumes (same cause): what the rules found."""
    return [g for f in result.findings for g in (f, *f.related)]


@pytest.fixture(scope="session")
def clean_2021() -> str:
    return (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")


def shared_dir(name: str) -> Path:
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"../shared/{name} is not beside the project")
    return path
