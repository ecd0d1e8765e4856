"""Load on `xxgk serve`: 50 concurrent clients upload mixed-format reports (Markdown, Word, web
pages, and text-layer PDFs printed by Debian's Chromium where it is installed) to a server this
script starts on 127.0.0.1 (a free port), while one hostile upload — a PDF built to exhaust its
reader — is in flight; every response is checked against the findings the same file gives in
process. Prints p50/p95 latency, throughput, the failed requests (there must be none) and what the
hostile upload got. Run: python benchmarks/serve_load.py [--requests 300] [--clients 50]"""

from __future__ import annotations

import argparse
import io
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
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
    from renderers import available, chromium_pdf

    if available("chromium-pdf"):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            for p in sorted(examples.glob("clean-20*.md")):
                page = md_to_html(p.read_text(encoding="utf-8"))
                out.append((p.stem + ".pdf", chromium_pdf(page, Path(folder) / (p.stem + ".pdf")).read_bytes()))
    return out


def _hostile() -> tuple[str, bytes]:
    from hostile_files import xobject_bomb

    return "hostile.pdf", xobject_bomb(9)


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
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    files = _files()
    expected = _expected(files)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "checker", "serve", "--port", str(port), "--no-browser", "--workers", "2"],
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

        def post(name: str, data: bytes, timeout: float = 300) -> tuple[int, dict | None]:
            body, kind = _multipart(name, data)
            request = urllib.request.Request(url + "/api/check", data=body, headers={"Content-Type": kind})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as error:
                return error.code, None
            except OSError:
                return 0, None

        def one(index: int) -> tuple[float, int, bool]:
            name, data = files[index % len(files)]
            start = time.perf_counter()
            status, payload = post(name, data)
            seconds = time.perf_counter() - start
            codes = [f["code"] for f in payload["documents"][0]["findings"]] if payload else None
            return seconds, status, codes == expected[name]

        hostile_name, hostile_data = _hostile()
        hostile: dict = {}

        def attack() -> None:
            start = time.perf_counter()
            status, payload = post(hostile_name, hostile_data, timeout=600)
            codes = [f["code"] for f in payload["documents"][0]["findings"]] if payload else []
            hostile.update(status=status, codes=codes, seconds=time.perf_counter() - start)

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients + 1) as pool:
            attacker = pool.submit(attack)
            results = list(pool.map(one, range(args.requests)))
            attacker.result()
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(10)
    latencies = sorted(s for s, _, _ in results)
    failed = sum(1 for _, status, _ in results if status != 200)
    wrong = sum(1 for _, status, ok in results if status == 200 and not ok)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    kinds = sorted({Path(name).suffix.lstrip(".") for name, _ in files})
    print(
        f"{args.requests} uploads ({len(files)} files: {', '.join(kinds)}) by {args.clients} concurrent clients, "
        f"one hostile upload in flight"
    )
    print(
        f"throughput {args.requests / wall:.1f} uploads/s, latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms; failed requests: {failed}; wrong responses: {wrong}"
    )
    print(
        f"hostile upload: HTTP {hostile.get('status')}, findings {sorted(set(hostile.get('codes', [])))}, "
        f"{hostile.get('seconds', 0):.1f} s"
    )


if __name__ == "__main__":
    main()
