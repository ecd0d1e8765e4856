"""Write the .docx twin of an example report with the package's own Markdown-to-Word writer.
Usage: python examples/build_docx.py examples/clean-2021.md [out.docx]"""

from __future__ import annotations

import sys
from pathlib import Path

from checker.formats.docx_writer import write


def main(argv: list[str]) -> None:
    source = Path(argv[0])
    target = Path(argv[1]) if len(argv) > 1 else source.with_suffix(".docx")
    write(source.read_text(encoding="utf-8"), target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
