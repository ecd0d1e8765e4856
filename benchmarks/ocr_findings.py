"""What a scan does to the findings: each example report (printed by Debian's chromium) and each
text-layer PDF in ../shared/corpus is rasterised into an image-only PDF, read through OCR and
checked; its findings are set against the text copy's. Prints, per file, the errors of the text
copy, the errors on the scan that stay errors (their reading confirmed: a cell of a table whose
relations all hold), those said as warnings to check the scan, and the codes only the scan gives.

Run: python benchmarks/ocr_findings.py [--dpi 200] [FILE.pdf ...]"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ocr import arguments, scanned  # noqa: E402

from checker.pipeline import check_path  # noqa: E402

NOTE = "请核对扫描件"


def _printed(markdown: Path, folder: Path) -> Path:
    from batch import md_to_html
    from renderers import chromium_pdf

    return chromium_pdf(md_to_html(markdown.read_text(encoding="utf-8")), folder / (markdown.stem + ".pdf"))


def main() -> None:
    args = arguments()
    totals: Counter = Counter()
    print(f"{'file':40} {'text errors':>11} {'scan errors':>11} {'to check':>9}  scan only")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        files = args.files or (
            [_printed(p, folder) for p in sorted((ROOT / "examples").glob("*.md"))]
            + sorted((ROOT.parent / "shared" / "corpus").glob("*.pdf"))
        )
        for path in files:
            text = check_path(path)
            scan = check_path(
                scanned(path, folder / (path.stem + ".scan.pdf"), args.dpi) and folder / (path.stem + ".scan.pdf")
            )
            text_errors = sum(1 for f in text.findings if f.severity == "error")
            kept = sum(1 for f in scan.findings if f.severity == "error")
            to_check = sum(1 for f in scan.findings if NOTE in f.message)
            only = sorted(Counter(f.code for f in scan.findings) - Counter(f.code for f in text.findings))
            totals.update(text=text_errors, kept=kept, to_check=to_check, only=len(only))
            print(f"{path.name[:40]:40} {text_errors:>11} {kept:>11} {to_check:>9}  {' '.join(only)}")
    print(f"{'all':40} {totals['text']:>11} {totals['kept']:>11} {totals['to_check']:>9}  {totals['only']} codes")


if __name__ == "__main__":
    main()
