"""The docs run: every ```sh and ```python block in README.md and docs/*.md is run against the
examples in a temporary folder laid out as the docs assume (report.docx, reports/, page.html …),
or is marked `<!-- not run: reason -->` on the line before it. A shell line passes when its exit
code is 0 or 1 (1 is "there are findings", the gate's answer; 2 would mean the command could not
do its job) and it printed no traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from batch import md_to_html
from conftest import EXAMPLES, ROOT, xxgk_shim

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(
    r"(?:<!--\s*not run:(?P<reason>[^>]*?)-->\s*\n)?```(?P<lang>sh|python)[^\n]*\n(?P<body>.*?)```", re.S
)


def blocks() -> list:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text[: match.start("lang")].count("\n") + 1
            found.append(
                pytest.param(
                    match.group("lang"),
                    match.group("body"),
                    (match.group("reason") or "").strip() if match.group("reason") is not None else None,
                    id=f"{doc.name}:{line}",
                )
            )
    return found


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """The files and folders the docs' commands name, made from the examples."""
    home = tmp_path_factory.mktemp("docs")
    clean_md = EXAMPLES / "clean-2021.md"
    for name in ("report.md", "r.md", "draft-2024.md"):
        shutil.copyfile(clean_md, home / name)
    for name in ("report.docx", "r.docx", "2024年政府信息公开工作年度报告.docx"):
        shutil.copyfile(EXAMPLES / "clean-2021.docx", home / name)
    page = md_to_html(clean_md.read_text(encoding="utf-8"))
    for name in ("page.html", "年报.html"):
        (home / name).write_text(page, encoding="utf-8")
    for folder in ("reports", "reports/2024", "2025-reports"):
        (home / folder).mkdir(parents=True)
        for example in ("clean-2021.md", "clean-2019.md", "defective-2021.md"):
            shutil.copyfile(EXAMPLES / example, home / folder / example)
    shutil.copyfile(EXAMPLES / "clean-2021.docx", home / "reports" / "2024" / "a.docx")
    made = subprocess.run(
        _xxgk() + ["audit", "reports", "-o", "audit-2024", "-q"],
        cwd=home,
        env=_env(home),
        capture_output=True,
        text=True,
    )
    assert made.returncode in (0, 1), made.stderr
    return home


def _xxgk() -> list[str]:
    return [sys.executable, "-m", "checker"]


def _env(home: Path) -> dict:
    """`xxgk` on the PATH as this interpreter's, a home of the test's own (for ~/.bashrc)."""
    bin_dir = xxgk_shim(home)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_REQUIRE")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", HOME=str(home), NO_COLOR="1", PYTHONPATH=str(ROOT))
    return env


def _run_python(block: str, workspace: Path) -> None:
    """A doc's python block, as written, run in the workspace (its files are named relative to it)."""
    here = os.getcwd()
    os.chdir(workspace)
    try:
        exec(compile(block, "<doc>", "exec"), {"__name__": "__doc_example__"})  # noqa: S102 - our own docs
    finally:
        os.chdir(here)


def _commands(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@pytest.mark.parametrize("lang,body,not_run", blocks())
def test_every_doc_block_runs_or_says_why_not(lang, body, not_run, workspace, capsys):
    if not_run is not None:
        assert len(not_run) >= 10, "a block that is not run says why"
        pytest.skip(f"marked not run: {not_run}")
    if lang == "python":
        _run_python(body, workspace)
        assert capsys.readouterr().out  # the examples print what they show
        return
    env = _env(workspace)
    for command in _commands(body):
        run = subprocess.run(
            ["bash", "-c", command], cwd=workspace, env=env, capture_output=True, text=True, timeout=120
        )
        assert run.returncode in (0, 1), (command, run.returncode, run.stderr[-2000:])
        assert "Traceback" not in run.stderr, (command, run.stderr[-2000:])


def test_the_api_example_prints_each_error_of_the_report(workspace, capsys):
    """docs/api.md's example as written, on a report with errors: each one printed with its code."""
    import checker

    (block,) = [b.values[1] for b in blocks() if b.id.startswith("api.md:") and b.values[0] == "python"]
    defective = workspace / "2024年政府信息公开工作年度报告.docx"
    shutil.copyfile(EXAMPLES / "defective-2021.docx", defective)
    try:
        _run_python(block, workspace)
    finally:
        shutil.copyfile(EXAMPLES / "clean-2021.docx", defective)
    out = capsys.readouterr().out
    errors = checker.check_path(EXAMPLES / "defective-2021.docx").errors
    assert errors and all(f"{f.code} error" in out for f in errors), out
