"""The ways agencies install a CI gate, run for real: the GitHub Action's shell steps, the GitLab
template's script, and the pre-commit hook's file pattern. The steps that install the package run
under --full (CI): a fresh venv installs this checkout as the step says."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from checker.ingest import SUPPORTED
from conftest import EXAMPLES, ROOT, xxgk_shim

EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def _reports(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(EXAMPLES / name, folder / name)
    return folder


def _bin_env(bin_dir: Path) -> dict:
    """`xxgk` and `python` on the PATH as the given folder's (a venv's bin) and nothing of CI's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XXGK_", "GITHUB_", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def _this_env(tmp_path: Path) -> dict:
    """This interpreter's checker as `xxgk` (no install)."""
    env = _bin_env(xxgk_shim(tmp_path))
    env["PYTHONPATH"] = str(ROOT)
    return env


# --- the GitHub Action

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _step(step_id: str) -> dict:
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("id") == step_id]
    return step


def _expand(text: str, inputs: dict) -> str:
    """GitHub's ${{ }} expressions in a step's env, as the runner fills them: inputs (their
    defaults unless given) and the action's own folder. Any other expression fails the test, so a
    step cannot depend on something this test does not give it."""

    def value(match):
        name = match.group(1)
        if name.startswith("inputs."):
            key = name.removeprefix("inputs.")
            return inputs.get(key, ACTION["inputs"][key].get("default", ""))
        if name == "github.action_path":
            return str(ROOT)
        raise AssertionError(f"the test does not give {name}")

    return EXPRESSION.sub(value, text)


def _run_step(step_id: str, inputs: dict, env: dict, cwd: Path) -> tuple[subprocess.CompletedProcess, dict]:
    step = _step(step_id)
    assert step["shell"] == "bash" and "${{" not in step["run"]  # inputs reach the shell through env only
    outputs = cwd / f"github-output-{step_id}"
    outputs.write_text("")
    env = {
        **env,
        **{k: _expand(str(v), inputs) for k, v in step.get("env", {}).items()},
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_ACTION_PATH": str(ROOT),
    }
    # the runner's own bash invocation for `shell: bash`
    run = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    said = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return run, said


def test_the_action_fails_on_errors_annotates_them_and_writes_sarif(tmp_path):
    _reports(tmp_path / "reports", "defective-2021.md", "clean-2021.md")
    run, said = _run_step("check", {"paths": "reports", "sarif": "out.sarif"}, _this_env(tmp_path), tmp_path)
    assert run.returncode == 1 and said == {"exit-code": "1", "sarif-file": "out.sarif"}, run.stderr
    assert re.search(r"^::error file=reports/defective-2021\.md,line=\d+", run.stdout, re.M), run.stdout[:500]
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert results and all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".md") for r in results
    )


def test_the_action_passes_a_clean_report_with_a_config_and_no_sarif(tmp_path):
    _reports(tmp_path / "reports", "clean-2021.md")
    (tmp_path / "policy.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    run, said = _run_step(
        "check",
        {"paths": "reports/clean-2021.md", "sarif": "", "config": "policy.toml", "format": "concise"},
        _this_env(tmp_path),
        tmp_path,
    )
    assert run.returncode == 0 and said == {"exit-code": "0"}, run.stderr
    assert not list(tmp_path.glob("*.sarif"))


def test_the_action_says_exit_2_when_it_cannot_check(tmp_path):
    run, said = _run_step("check", {"paths": "no-such-folder"}, _this_env(tmp_path), tmp_path)
    assert run.returncode == 2 and said == {"exit-code": "2"} and "不存在" in run.stderr


# --- the GitLab template

GITLAB = yaml.safe_load((ROOT / "ci" / "gitlab.yml").read_text(encoding="utf-8"))[".xxgk-check"]


def _gitlab(lines: list[str], variables: dict, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    env = {**env, **{k: str(v) for k, v in GITLAB["variables"].items()}, **variables}
    return subprocess.run(
        ["bash", "-c", "\n".join(lines)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_gitlab_template_writes_code_quality_and_junit(tmp_path):
    _reports(tmp_path / "reports", "defective-2021.md", "clean-2019.md")
    run = _gitlab(GITLAB["script"], {"XXGK_PATHS": "reports/"}, _this_env(tmp_path), tmp_path)
    assert run.returncode == 1, run.stderr
    reports = GITLAB["artifacts"]["reports"]
    quality = json.loads((tmp_path / reports["codequality"]).read_text(encoding="utf-8"))
    assert quality and {q["location"]["path"] for q in quality} == {"reports/defective-2021.md"}
    assert all(q["check_name"] and q["fingerprint"] and q["location"]["lines"]["begin"] >= 1 for q in quality)
    junit = ET.parse(tmp_path / reports["junit"]).getroot()
    failed = [case.get("name") for case in junit.iter("testcase") if case.find("failure") is not None]
    assert failed and {s.get("name") for s in junit.iter("testsuite")} >= {
        "reports/defective-2021.md",
        "reports/clean-2019.md",
    }


# --- installing the package as the templates say


@pytest.mark.full
def test_the_install_steps_install_the_package_from_this_checkout(tmp_path):
    """The action's install step with no `package` installs the action's own checkout; the GitLab
    template's before_script installs what XXGK_PACKAGE names (here the same checkout). A fresh
    venv each, as on a runner; then the check step works with what they installed."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = _bin_env(venv / "bin")
    run, _ = _run_step("install", {}, env, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    _reports(tmp_path / "reports", "defective-2021.md")
    checked, said = _run_step("check", {"paths": "reports", "sarif": ""}, env, tmp_path)
    assert checked.returncode == 1 and said["exit-code"] == "1", checked.stderr
    again = _gitlab(GITLAB["before_script"] + ["xxgk --version"], {"XXGK_PACKAGE": str(ROOT)}, env, tmp_path)
    assert again.returncode == 0 and "xxgk-checker" in again.stdout, again.stderr[-3000:]


# --- pre-commit


def test_the_pre_commit_hook_takes_every_format_the_checker_reads():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    files = re.compile(hook["files"])  # pre-commit searches with Python's re
    for suffix in SUPPORTED:
        assert files.search(f"reports/2024/年报{suffix}") and files.search(f"REPORT{suffix.upper()}"), suffix
    for other in ("setup.py", "xxgk.toml", "waivers.yaml", "report.md.bak", "report.docx~"):
        assert not files.search(other), other
    assert hook["entry"] == "xxgk check" and hook["language"] == "python"
