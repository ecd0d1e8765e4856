"""Machine instructions per check, counted by Valgrind (callgrind): a figure that does not drift
with the machine's load, for comparing two versions of the code on a noisy machine where times
move by ±15% from hour to hour.

    python benchmarks/instructions.py                  # md, html, docx: the clean 2021 example
    python benchmarks/instructions.py --stages         # md only, per stage of the pipeline
    python benchmarks/instructions.py --root ../other  # another checkout, with this venv

Each figure is (instructions of a process checking the file N times − the same process checking
it 0 times) / N, so start-up and imports drop out. Needs valgrind (Debian: apt-get install
valgrind); each figure takes about half a minute."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

LOOP = r"""
import sys
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
import bench
from checker.pipeline import Context, Overrides, extract, ingest_bytes, normalize, parse, run_rules
from checker.engine.rules import builtin_rules
fmt, stage, n = sys.argv[3], sys.argv[4], int(sys.argv[5])
name, data = bench.clean_2021()[fmt][0]
rules = builtin_rules()
doc = ingest_bytes(data, name); normal = normalize(doc); report = parse(normal)
facts = extract(report, normal, Overrides())
for _ in range(3):
    run_rules(Context(normal, report, facts), rules)
steps = {"ingest": lambda: ingest_bytes(data, name), "normalize": lambda: normalize(doc),
         "parse": lambda: parse(normal), "facts": lambda: extract(report, normal, Overrides()),
         "rules": lambda: run_rules(Context(normal, report, facts), rules)}
if stage == "check":
    from checker.pipeline import check_bytes
    step = lambda: check_bytes(data, name)
else:
    step = steps[stage]
try:  # checks run as a batch runs them (checker/collector.py); an older checkout has no setting
    from checker.collector import for_batch
    for_batch()
except ImportError:
    pass
for _ in range(n):
    step()
"""


def _collected(root: Path, fmt: str, stage: str, runs: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "loop.py"
        script.write_text(LOOP, encoding="utf-8")
        # a fixed hash seed: string hashes decide dict and set layouts, which move a count by ~1%
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/out",
                sys.executable,
                str(script),
                str(root),
                str(root / "benchmarks"),
                fmt,
                stage,
                str(runs),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    match = re.search(r"Collected : (\d+)", done.stderr)
    if not match:
        raise SystemExit(f"valgrind gave no count:\n{done.stderr[-2000:]}")
    return int(match.group(1))


def per_check(root: Path, fmt: str, stage: str = "check", runs: int = 100) -> int:
    return (_collected(root, fmt, stage, runs) - _collected(root, fmt, stage, 0)) // runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--stages", action="store_true", help="md only, per stage")
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("需要 valgrind（Debian: apt-get install valgrind）")
    rows = (
        [("md", stage) for stage in ("ingest", "normalize", "parse", "facts", "rules")]
        if args.stages
        else [(fmt, "check") for fmt in ("md", "html", "docx")]
    )
    for fmt, stage in rows:
        print(f"{fmt:5} {stage:10} {per_check(args.root.resolve(), fmt, stage, args.runs):>14,} instructions")


if __name__ == "__main__":
    main()
