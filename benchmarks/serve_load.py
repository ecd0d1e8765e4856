"""Load on `xxgk serve`: 20 concurrent clients upload mixed-format reports to a server this script
starts on 127.0.0.1 (a free port), for a bounded number of requests; every response is checked
against the findings the same file gives in process. Prints throughput and latency percentiles.
Run: python benchmarks/serve_load.py [--requests 200] [--clients 20]"""

from __future__ import annotations

import argparse
import io
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _files() -> list[tuple[str, bytes]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from batch import md_to_html

    examples = ROOT / "examples"
    out = [(p.name, p.read_bytes()) for p in sorted(examples.glob("*.md"))]
    out += [(p.name, p.read_bytes()) for p in sorted(examples.glob("*.docx"))]
    out += [
        (p.stem + ".html", md_to_html(p.read_text(encoding="utf-8")).encode()) for p in sorted(examples.glob("*.md"))
    ]
    return out


def _expected(files) -> dict[str, list[str]]:
    from checker.pipeline import check_bytes

    return {name: [f.code for f in check_bytes(data, name).findings] for name, data in files}


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    body.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
    )
    body.write(data)
    body.write(f"\r\n--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    files = _files()
    expected = _expected(files)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "checker", "serve", "--port", str(port), "--no-browser"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/api/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)

        def one(index: int) -> tuple[float, bool]:
            name, data = files[index % len(files)]
            body, kind = _multipart(name, data)
            request = urllib.request.Request(url + "/api/check", data=body, headers={"Content-Type": kind})
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                payload = json.loads(response.read())
            seconds = time.perf_counter() - start
            codes = [f["code"] for f in payload["documents"][0]["findings"]]
            return seconds, codes == expected[name]

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(10)
    latencies = sorted(s for s, _ in results)
    wrong = sum(1 for _, ok in results if not ok)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(f"{args.requests} uploads ({len(files)} files: md, docx, html) by {args.clients} concurrent clients")
    print(
        f"throughput {args.requests / wall:.1f} uploads/s, latency median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; wrong responses: {wrong}"
    )


if __name__ == "__main__":
    main()
