"""How well a scanned report is read: every text-layer PDF in ../shared/corpus (or the files
given) is rasterised into an image-only PDF, as a scanner gives it, read through OCR, and its
keyed table cells compared with the text layer's reading. Prints, per file, the share of keyed
cells that agree and the seconds per page. Needs Debian's tesseract-ocr and tesseract-ocr-chi-sim.

Run: python benchmarks/ocr.py [--dpi 200] [FILE.pdf ...]"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.ingest.pdf_ocr import tesseract  # noqa: E402
from checker.pipeline import check_path  # noqa: E402


def scanned(source: Path, target: Path, dpi: int) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(source))
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))]
    images[0].save(target, save_all=True, append_images=images[1:], resolution=dpi)
    return len(images)


def arguments() -> argparse.Namespace:
    """FILE.pdf … and --dpi, for the OCR benchmarks; exits when Tesseract is not installed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--dpi", type=int, default=200, help="the scan's resolution")
    args = parser.parse_args()
    if not tesseract():
        sys.exit("tesseract with chi_sim is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
    return args


def main() -> None:
    args = arguments()
    files = args.files or sorted((ROOT.parent / "shared" / "corpus").glob("*.pdf"))
    total_same = total_cells = 0
    pages_all = seconds_all = 0.0
    print(f"{'file':44} {'cells equal':>14} {'share':>7} {'s/page':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for path in files:
            target = Path(folder) / (path.stem + ".scan.pdf")
            pages = scanned(path, target, args.dpi)
            start = time.perf_counter()
            ocr = check_path(target)
            seconds = time.perf_counter() - start
            text = {k: c.value for k, c in check_path(path).facts.cells.items()}
            read = {k: c.value for k, c in ocr.facts.cells.items()} if ocr.facts else {}
            same = sum(1 for k, v in text.items() if read.get(k) == v)
            total_same, total_cells = total_same + same, total_cells + len(text)
            pages_all, seconds_all = pages_all + pages, seconds_all + seconds
            print(
                f"{path.name[:44]:44} {same:>6} / {len(text):<5} {same / max(len(text), 1):>7.1%} {seconds / pages:>7.2f}"
            )
    print(
        f"{'all':44} {total_same:>6} / {total_cells:<5} {total_same / max(total_cells, 1):>7.1%} "
        f"{seconds_all / max(pages_all, 1):>7.2f}"
    )


if __name__ == "__main__":
    main()
