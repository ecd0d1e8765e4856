"""A batch of reports made from the examples (agencies, years, formats, injected defects listed in
MANIFEST.json). The generator lives with the tests (tests/batch.py), which use it too.
Run: python benchmarks/make_batch.py OUTDIR [--agencies 60] [--years 2021-2025] [--seed 7]"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from batch import main  # noqa: E402

if __name__ == "__main__":
    main()
