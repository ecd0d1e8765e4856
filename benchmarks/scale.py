"""A national year on one machine (issue 36), in one run (about 10 minutes on 2 cores):

- `xxgk check` on 1,000 and 10,000 generated reports with -j 1 and -j 2: wall time, the ratio of
  the two, and the peak of the summed RSS of the checker and its workers;
- `xxgk audit` of the 10,000 against `check -j 1` on them;
- `xxgk audit merge` of ten 1,000-report shards against the audit of the 10,000 (findings.json and
  summary.csv byte for byte);
- a 30-digit flattened run checked (CPU time);
- 雷同 per report at 1,000, 10,000 and 100,000 real-shaped generated reports (similar_scale.py).

    python benchmarks/scale.py            (or benchmarks/run.py --scale)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

import audit_bench  # noqa: E402
import similar_scale  # noqa: E402


def timed(args: list[str]) -> dict:
    """A command's wall time and the peaks of its process tree's summed RSS and PSS (sampled
    every 0.1 s; PSS counts a page forked workers share with the parent once)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "checker", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = pss = 0.0
    while process.poll() is None:
        peak = max(peak, audit_bench._tree_rss_mb(process.pid))
        pss = max(pss, audit_bench.tree_pss_mb(process.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    assert process.returncode in (0, 1), process.stderr.read().decode()[-2000:]
    return {"seconds": round(seconds, 2), "peak_summed_rss_mb": round(peak), "peak_pss_mb": round(pss)}


def thirty_digits() -> float:
    """CPU seconds to check a crawler's one-line capture whose table row is a 30-digit run."""
    from checker import pipeline
    from test_flattened import flatten

    text = flatten((ROOT / "examples" / "clean-2021.md").read_text(encoding="utf-8"))
    longest = max(re.findall(r"\d{6,}", text), key=len)
    text = text.replace(longest, ("1234567890" * 3)[:30], 1)
    start = time.process_time()
    pipeline.check_one(text.encode("utf-8"), "capture.txt")
    return round(time.process_time() - start, 3)


def main() -> dict:
    out: dict = {"thirty_digit_run_cpu_s": thirty_digits()}
    print(f"30-digit flattened run: {out['thirty_digit_run_cpu_s']} CPU-s", flush=True)
    import batch

    with tempfile.TemporaryDirectory(prefix="xxgk-scale-") as tmp:
        folder = Path(tmp) / "reports"
        batch.make(folder, agencies=2000, jobs=os.cpu_count() or 1)
        files = sorted(str(p) for p in folder.iterdir() if p.suffix != ".json")
        small = Path(tmp) / "small"
        small.mkdir()
        for path in files[:1000]:
            os.symlink(path, small / Path(path).name)
        for size, where in (("1000", small), ("10000", folder)):
            for jobs in ("1", "2"):
                r = timed(["check", str(where), "-q", "-j", jobs])
                out[f"check_{size}_j{jobs}"] = r
                print(f"check {size} -j {jobs}: {r}", flush=True)
        out["check_10000_j2_speedup"] = round(out["check_10000_j1"]["seconds"] / out["check_10000_j2"]["seconds"], 2)
        out["check_rss_10000_over_1000"] = round(
            out["check_10000_j2"]["peak_summed_rss_mb"] / out["check_1000_j2"]["peak_summed_rss_mb"], 2
        )
        whole = Path(tmp) / "whole"
        out["audit_10000_j2"] = timed(["audit", str(folder), "-o", str(whole), "-q", "-j", "2"])
        print(f"audit 10000 -j 2: {out['audit_10000_j2']}", flush=True)
        shards = []
        for i in range(0, len(files), 1000):
            shards.append(str(Path(tmp) / f"shard{i // 1000}"))
            timed(["audit", *files[i : i + 1000], "-o", shards[-1], "-q", "-j", "2"])
        merged = Path(tmp) / "merged"
        out["merge_j2"] = timed(["audit", "merge", *shards, "-o", str(merged), "-q", "-j", "2"])
        out["merge_equal"] = all(
            (merged / name).read_bytes() == (whole / name).read_bytes() for name in ("findings.json", "summary.csv")
        )
        print(f"merge of {len(shards)} shards: {out['merge_j2']}, equal to the whole: {out['merge_equal']}", flush=True)
    similar = [similar_scale.measure(size) for size in (1000, 10000, 100000)]
    out["similar"] = similar
    for r in similar:
        ratio = r["cross_ms_per_report"] / similar[0]["cross_ms_per_report"]
        print(
            f"雷同 {r['reports']}: {r['cross_ms_per_report']} ms/report ({ratio:.2f}x), found {r['found']}/{r['planted']}"
        )
    return out


if __name__ == "__main__":
    results = main()
    (HERE / "scale_results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
