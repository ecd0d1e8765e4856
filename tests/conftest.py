from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# Real reports written by agencies are not part of the project (a user's clone has none): they are
# read from ../shared beside the checkout, or from the folder XXGK_REAL_REPORTS names. Tests that
# need them look them up at run time and skip with a reason when they are absent (CI, which has
# them, sets XXGK_REQUIRE_REAL_REPORTS so that their absence fails instead). Nothing here may skip
# at import or collection time: that would stop pytest before a single test ran.
SHARED = Path(os.environ["XXGK_REAL_REPORTS"]) if os.environ.get("XXGK_REAL_REPORTS") else ROOT.parent / "shared"
ABSENT = "real reports are absent: ../shared is not beside the checkout and XXGK_REAL_REPORTS is not set"


def pytest_addoption(parser):
    parser.addoption(
        "--full", action="store_true", help="also run the slow cases at full size (marked full; CI runs them)"
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "full: a slow case at full size, run with --full (a smaller case runs by default)"
    )


def pytest_collection_modifyitems(config, items):
    """The full-size cases run under --full (or XXGK_FULL_TESTS=1); each has a smaller case that
    runs every time, so the default suite stays a few minutes on two cores."""
    if config.getoption("--full") or os.environ.get("XXGK_FULL_TESTS"):
        return
    skip = pytest.mark.skip(reason="full-size case: pytest --full runs it (CI does)")
    for item in items:
        if "full" in item.keywords:
            item.add_marker(skip)


def apply_edits(text: str, edits) -> str:
    for old, new in edits:
        count = text.count(old)
        assert count == 1, f"edit target must occur exactly once, found {count}: {old[:60]!r}"
        text = text.replace(old, new)
    return text


def check_text(text: str, name: str = "report.md", enable: tuple[str, ...] = (), **overrides):
    """Check a report written out in full; `enable` names opt-in rules to run too."""
    from checker.engine.rules import builtin_rules
    from checker.facts import Overrides
    from checker.gate.select import select
    from checker.pipeline import check_bytes

    rules = select(builtin_rules(), None, list(enable), []) if enable else None
    return check_bytes(text.encode("utf-8"), name, Overrides(**overrides), rules)


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
            app, [str(a) for a in args], input=stdin
        )
    finally:
        os.chdir(here)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout_bytes, stderr=result.stderr_bytes)


def xxgk_shim(folder: Path) -> Path:
    """A folder holding an `xxgk` that runs this interpreter's checker (no install): for tests that
    run shell commands as a user types them. Put it first on the PATH, and ROOT on PYTHONPATH."""
    import sys

    bin_dir = folder / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "xxgk"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m checker "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return bin_dir


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def every_finding(result) -> list:
    """The findings and, under each, those it subsumes (same cause): what the rules found."""
    return [g for f in result.findings for g in (f, *f.related)]


@pytest.fixture(scope="session")
def clean_2021() -> str:
    return (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")


def real_files(folder: str, pattern: str = "*") -> list[Path]:
    """The real reports in `folder` (seeds, corpus) matching `pattern`, or none when they are
    absent: for lists that real reports extend. Safe at collection time."""
    path = SHARED / folder
    if not path.is_dir():
        return []
    return sorted(p for p in path.glob(pattern) if p.is_file() and p.name != "MANIFEST.tsv")


def shared_dir(name: str) -> Path:
    """The folder of real reports, inside a test: skips it with a reason when they are absent
    (fails where XXGK_REQUIRE_REAL_REPORTS says they must be there)."""
    path = SHARED / name
    if not path.is_dir():
        if os.environ.get("XXGK_REQUIRE_REAL_REPORTS"):
            pytest.fail(f"{ABSENT} (XXGK_REQUIRE_REAL_REPORTS is set)")
        pytest.skip(ABSENT)
    return path


def real_params(folder: str, pattern: str = "*") -> list:
    """`real_files` for @pytest.mark.parametrize: where the reports are absent, one case that
    skips at run time with the reason, so the test is reported and nothing is skipped early."""
    found = real_files(folder, pattern)
    if found:
        return found
    return [pytest.param(SHARED / folder / pattern, id=f"{folder}-absent")]


def real_path(path: Path) -> Path:
    """A real report's path inside a test: skips (as shared_dir does) when it is absent."""
    if not path.exists():
        shared_dir(path.parent.name)
        pytest.skip(f"{path.name} is not among the real reports in {path.parent}")
    return path
