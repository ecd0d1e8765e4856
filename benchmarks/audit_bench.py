"""Audit throughput on a generated batch with 1 and 2 jobs, and the time 雷同 detection takes
as the batch grows (100, 1,000, 10,000 reports). Run: python benchmarks/audit_bench.py
Writes the figures into benchmarks/results.json under "audit"."""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))

import batch as make_batch  # noqa: E402  (tests/batch.py)

from checker.audit import cross, score  # noqa: E402
from checker.audit.run import audit  # noqa: E402
from checker.audit.summary import DocSummary  # noqa: E402
from checker.audit.similar import signature  # noqa: E402
from checker.cli import expand_paths  # noqa: E402
from checker.engine.rules import builtin_rules  # noqa: E402


def throughput(agencies: int = 60) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = make_batch.make(folder / "reports", agencies=agencies)
        files = expand_paths([str(folder / "reports")])
        out = {"reports": len(files)}
        for jobs in (1, 2):
            start = time.perf_counter()
            audit(files, folder / f"out{jobs}", builtin_rules(), jobs, [], score.load(), expand_paths, quiet=True)
            seconds = time.perf_counter() - start
            out[f"jobs_{jobs}"] = {"seconds": round(seconds, 2), "reports_per_second": round(len(files) / seconds, 1)}
        assert len(manifest) == len(files)
        return out


def copied_scaling(sizes=(100, 1000, 10000)) -> dict:
    rules = builtin_rules()
    n506 = next(r for r in rules if r.code == "N506")
    out = {}
    for size in sizes:
        rng = random.Random(size)
        docs = []
        for i in range(size):
            agency = f"{make_batch.PLACES[i % len(make_batch.PLACES)]}县{i}号局"
            year = 2021 + i % 5
            docs.append(
                DocSummary(
                    f"doc{i}.md",
                    agency,
                    agency,
                    "department",
                    year,
                    "format-2021",
                    sections={
                        "一": make_batch.overview(rng, agency, year, False),
                        "五": make_batch.problems(rng, agency, year),
                    },
                )
            )
        start = time.perf_counter()
        for doc in docs:  # in an audit this part runs in the worker processes
            doc.signatures = {o: signature(t) for o, t in doc.sections.items()}
        signed = time.perf_counter() - start
        start = time.perf_counter()
        found = cross.copied(docs, len(docs), n506)
        compared = time.perf_counter() - start
        out[str(size)] = {
            "signatures_s": round(signed, 2),
            "lsh_and_verify_s": round(compared, 2),
            "flagged": sum(len(v) for v in found.values()),
        }
    return out


def mass_copy(agencies: int = 200, years: int = 10) -> dict:
    """The 雷同 worst case: one text handed to every department (names changed), every year.
    Times the cross-report comparison alone (signatures are made in the workers)."""
    rules = builtin_rules()
    n506 = next(r for r in rules if r.check == "similar-text")
    rng = random.Random(7)
    shared_one = make_batch.overview(rng, "{agency}", 2021, False)
    shared_five = make_batch.problems(rng, "{agency}", 2021)
    docs = []
    for i in range(agencies):
        agency = f"{make_batch.PLACES[i % len(make_batch.PLACES)]}县{i}号局"
        for year in range(2016, 2016 + years):
            docs.append(
                DocSummary(
                    f"{i}-{year}.md",
                    agency,
                    agency,
                    "department",
                    year,
                    "format-2021",
                    sections={
                        "一": shared_one.replace("{agency}", agency),
                        "五": shared_five.replace("{agency}", agency),
                    },
                )
            )
    for doc in docs:
        doc.signatures = {o: signature(t) for o, t in doc.sections.items()}
    start = time.perf_counter()
    found = cross.copied(docs, len(docs), n506)
    seconds = time.perf_counter() - start
    return {
        "reports": len(docs),
        "seconds": round(seconds, 2),
        "ms_per_report": round(seconds / len(docs) * 1000, 2),
        "flagged": sum(len(v) for v in found.values()),
    }


def main() -> None:
    results = {"throughput": throughput(), "copied_detection": copied_scaling()}
    print(f"{'audit':<24}{'reports':>8}{'seconds':>10}{'reports/s':>12}")
    t = results["throughput"]
    for jobs in (1, 2):
        r = t[f"jobs_{jobs}"]
        print(f"{f'--jobs {jobs}':<24}{t['reports']:>8}{r['seconds']:>10}{r['reports_per_second']:>12}")
    print(f"\n{'雷同 detection':<20}{'signatures s':>14}{'LSH+verify s':>14}{'flagged':>9}")
    for size, r in results["copied_detection"].items():
        print(f"{size + ' reports':<20}{r['signatures_s']:>14}{r['lsh_and_verify_s']:>14}{r['flagged']:>9}")
    path = Path(__file__).resolve().parent / "results.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data["audit"] = results
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()


def _tree(root: int) -> tuple[set[int], dict[int, int]]:
    """A process and all its descendants (from /proc), and each one's resident bytes."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return tree, rss


def _tree_rss_mb(root: int) -> float:
    """The summed resident memory of a process and all its descendants."""
    tree, rss = _tree(root)
    return sum(rss.get(pid, 0) for pid in tree) / 2**20


def tree_pss_mb(root: int) -> float:
    """The proportional memory of a process and its descendants (/proc/PID/smaps_rollup): a page
    forked workers share with their parent is counted once, not once per process, as summed RSS
    counts it. What the machine really gives the run."""
    total = 0
    for pid in _tree(root)[0]:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError):
            continue
    return total / 2**20


def scale(sizes=(1000, 3000, 10000), jobs: int = 2) -> dict:
    """`xxgk audit` as a user runs it, on generated markdown batches of each size: wall time,
    the peak of the summed RSS of the audit and its workers (sampled every 0.2 s), index.html's
    size. Issue 16: 10,000 in ≤ 3 minutes, ≤ 600 MB summed, linear in the size."""
    import subprocess

    out = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make_batch.make(folder / "reports", agencies=size // 5, formats=("md",), jobs=jobs)
            start = time.perf_counter()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "checker",
                    "audit",
                    str(folder / "reports"),
                    "-o",
                    str(folder / "out"),
                    "-q",
                    "-j",
                    str(jobs),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            peak = 0.0
            while process.poll() is None:
                peak = max(peak, _tree_rss_mb(process.pid))
                time.sleep(0.2)
            seconds = time.perf_counter() - start
            assert process.returncode in (0, 1), process.stderr.read().decode()[-2000:]
            index = folder / "out" / "index.html"
            opened = open_time(index)
            out[str(size)] = {
                "seconds": round(seconds, 1),
                "ms_per_report": round(seconds / size * 1000, 2),
                "peak_summed_rss_mb": round(peak),
                "index_html_kb": round(index.stat().st_size / 1024),
                "chromium_open_ms": opened["median_ms"] if opened else None,
            }
            print(
                f"audit of {size} md reports: {seconds:.1f} s, peak summed RSS {peak:.0f} MB, "
                f"index.html {index.stat().st_size / 1024:.0f} KB, opened in Chromium in "
                f"{opened['median_ms'] if opened else '—'} ms",
                flush=True,
            )
    return out


def open_time(index: Path, runs: int = 3) -> dict | None:
    """Milliseconds for Debian's Chromium (headless, through Playwright) to open an audit's
    index.html from file:// until its script has drawn the first page of both tables (issue 16:
    ≤ 2 s at 10,000 reports). None when Chromium or Playwright is missing."""
    import shutil

    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for _ in range(runs):
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(index.as_uri(), wait_until="load")
            page.wait_for_function(
                "['reports-pages', 'agencies-pages'].every("
                "id => document.getElementById(id).textContent.includes('页'))"
            )
            times.append(time.perf_counter() - start)
            page.close()
        browser.close()
    return {"median_ms": round(statistics.median(times) * 1000), "runs": runs}
