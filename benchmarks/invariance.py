"""Same report, same findings, whatever program made the file. Every md, html and txt report in
../shared and examples/ is rendered by Debian's Chromium (print to PDF) and by LibreOffice (to docx
and to PDF); each rendering is checked and compared with its source: keyed table cells and
findings (code and anchor), locations aside. Prints, per file and renderer, what differs, and a
count per renderer; a rendering that put text off the page (E006: the PDF itself does not show
it) is counted as explained, not as a reader's difference.

Run: python benchmarks/invariance.py [--renderer chromium-pdf] [--keep DIR] [FILE ...]"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from checker.pipeline import check_path  # noqa: E402
from renderers import RENDERERS, available, differences, render  # noqa: E402


def sources() -> list[Path]:
    found = sorted((ROOT / "examples").glob("*.md"))
    for folder in ("seeds", "corpus"):
        base = ROOT.parent / "shared" / folder
        found += sorted(p for p in base.glob("*") if p.suffix.lower() in (".md", ".html", ".htm", ".txt"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--renderer", action="append", choices=RENDERERS)
    parser.add_argument("--keep", type=Path, help="keep the rendered files in this folder")
    args = parser.parse_args()
    files = args.files or sources()
    renderers = args.renderer or [r for r in RENDERERS if available(r)]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="xxgk-invariance-"))
    originals = {path: check_path(path) for path in files}
    totals, explained = {}, {}
    for renderer in renderers:
        made = render(files, renderer, folder / renderer)
        differing = 0
        for path in files:
            result = check_path(made[path]) if made[path].exists() else None
            if result is None:
                print(f"{renderer:18} {path.name}: not produced")
                differing += 1
                continue
            diff = {k: v for k, v in differences(originals[path], result).items() if v}
            off_page = [f for f in result.findings if f.name == "text-off-page"]
            if diff and off_page:  # the renderer laid text off the page: the PDF itself lacks it
                explained[renderer] = explained.get(renderer, 0) + 1
                print(f"{renderer:18} {path.name}: explained — text off the page ({off_page[0].message[:60]}…)")
                continue
            if diff:
                differing += 1
                print(f"{renderer:18} {path.name}")
                for kind, items in diff.items():
                    shown = "; ".join(items[:6]) + (f"; … ({len(items)} in all)" if len(items) > 6 else "")
                    print(f"{'':20}{kind}: {shown}")
        totals[renderer] = differing
    print()
    print(f"{'renderer':20}{'files':>7}{'differ':>8}{'explained':>11}")
    for renderer, differing in totals.items():
        print(f"{renderer:20}{len(files):>7}{differing:>8}{explained.get(renderer, 0):>11}")


if __name__ == "__main__":
    main()
