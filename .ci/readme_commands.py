"""The README's first two commands, exactly as written, on a clone of the tested commit with no
../shared beside it and none of CI's XXGK_* settings: what a user who has just cloned the project
runs. Fails if a command's exit code is not the one the README says (0 unless its comment says
"exits N"), or if pytest ran no test. Standard library only: it runs before any venv exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands(readme: str) -> list[tuple[str, int]]:
    """The command lines of the README's first ```sh block, each with the exit code its comment
    announces."""
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    if block is None:
        raise SystemExit("README.md has no ```sh block")
    commands, expected = [], 0
    for line in block.group(1).splitlines():
        line = line.strip()
        if line.startswith("#"):
            said = re.search(r"\bexits (\d+)", line)
            expected = int(said.group(1)) if said else 0
        elif line:
            commands.append((line, expected))
            expected = 0
    return commands


def tests_ran(output: str) -> int:
    """How many tests pytest says passed in its closing line (0 when none ran)."""
    closing = [line for line in output.splitlines() if re.search(r"\b(passed|failed|no tests ran|error)", line)]
    passed = re.search(r"(\d+) passed", closing[-1]) if closing else None
    return int(passed.group(1)) if passed else 0


def main() -> int:
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout.strip()
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    if len(commands) < 2:
        print(f"README.md's first ```sh block has {len(commands)} command(s); it must have two", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="xxgk-fresh-") as tmp:
        clone = Path(tmp) / "xxgk-checker"
        subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "checkout", "--quiet", commit], cwd=clone, check=True)
        assert not (clone.parent / "shared").exists()
        env = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
        env.pop("VIRTUAL_ENV", None)
        failed = 0
        for command, expected in commands:
            print(f"$ {command}", flush=True)
            run = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True)
            print("\n".join(run.stdout.rstrip().splitlines()[-3:]), flush=True)
            if run.returncode != expected:
                print(run.stderr[-3000:], file=sys.stderr)
                print(f"FAILED: exit {run.returncode}, the README says {expected}", file=sys.stderr)
                failed += 1
            elif "pytest" in command and tests_ran(run.stdout) == 0:
                print("FAILED: pytest ran no test", file=sys.stderr)
                failed += 1
        shutil.rmtree(clone / ".venv", ignore_errors=True)
    print("the README's commands on a fresh clone:", "failed" if failed else "passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
