"""Throughput of the whole pipeline (ingest → normalize → parse → facts → rules), in process,
on the project's own example reports in each input format. Run: python benchmarks/bench.py"""

from __future__ import annotations

import json
import re
import statistics
import sys
import os
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the report fixtures the tests and the benchmarks share

from batch import md_to_html  # noqa: E402
from checker import collector  # noqa: E402
from checker.pipeline import check_bytes  # noqa: E402


def inputs() -> dict[str, list[tuple[str, bytes]]]:
    examples = ROOT / "examples"
    md = [(p.name, p.read_bytes()) for p in sorted(examples.glob("*.md"))]
    txt = [
        (p.stem + ".txt", p.read_bytes().replace(b"# ", b"").replace(b"## ", b""))
        for p in sorted(examples.glob("clean-2008.md"))
    ]
    seeds = ROOT.parent / "shared" / "seeds"
    txt += [(p.name, p.read_bytes()) for p in sorted(seeds.glob("*.txt"))]
    htm = [
        (p.stem + ".html", md_to_html(p.read_text(encoding="utf-8")).encode()) for p in sorted(examples.glob("*.md"))
    ]
    docx = [(p.name, p.read_bytes()) for p in sorted(examples.glob("*.docx"))]
    return {"txt": txt, "md": md, "html": htm, "docx": docx}


def clean_2021() -> dict[str, list[tuple[str, bytes]]]:
    """The issue's yardstick: the clean 2021 example alone, as md, html and docx."""
    md = (ROOT / "examples" / "clean-2021.md").read_bytes()
    return {
        "md": [("clean-2021.md", md)],
        "html": [("clean-2021.html", md_to_html(md.decode()).encode())],
        "docx": [("clean-2021.docx", (ROOT / "examples" / "clean-2021.docx").read_bytes())],
    }


_DIGITS = re.compile(r"\d+")


def text_floor(data: bytes) -> None:
    """The least any check of a text report does: decode it, convert it to simplified script
    (OpenCC t2s) and pass one regular expression over it."""
    from checker.normalize import _converter

    text = data.decode("utf-8")
    _converter().convert(text)
    _DIGITS.findall(text)


def cpu() -> float:
    """CPU seconds spent so far by this process and the readers it waited for (a PDF is read in a
    bounded child process): what a check costs, whatever else the noisy machine is doing."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def measure(files: list[tuple[str, bytes]], seconds: float = 3.0, floor: Callable[[bytes], None] | None = None) -> dict:
    """Reports per CPU-second and the median check's CPU time. With `floor` (the least any check of the file does,
    given its bytes), that is timed after each check, alternated so that both see the same machine:
    the ratio of the medians is the figure that holds on a noisy one."""
    for name, data in files:  # warm caches: grammar, rules, OpenCC
        check_bytes(data, name)
        if floor is not None:
            floor(data)
    times, floors = [], []
    deadline = time.perf_counter() + seconds
    with collector.batch():  # as a folder check and an audit's workers run (checker/collector.py)
        while time.perf_counter() < deadline:
            for name, data in files:
                start = cpu()
                check_bytes(data, name)
                times.append(cpu() - start)
                if floor is not None:
                    start = cpu()
                    floor(data)
                    floors.append(cpu() - start)
    out = {
        "reports": len(times),
        "per_second": round(len(times) / sum(times), 1),
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1] * 1000, 2),
    }
    if floors:
        out["floor_ms"] = round(statistics.median(floors) * 1000, 3)
        out["ratio_to_floor"] = round(statistics.median(times) / statistics.median(floors), 2)
    return out


def main() -> None:
    results = {fmt: measure(files) for fmt, files in inputs().items() if files}
    print(f"{'format':<7}{'reports/s (1 core)':>20}{'median ms':>12}{'p95 ms':>10}{'runs':>8}")
    for fmt, r in results.items():
        print(f"{fmt:<7}{r['per_second']:>20}{r['median_ms']:>12}{r['p95_ms']:>10}{r['reports']:>8}")
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
