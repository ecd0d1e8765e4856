"""Same report, same findings, whatever program made the file: reports printed by Debian's
Chromium and converted by LibreOffice to docx and PDF give the keyed cells and the findings (code
and anchor) of their source. benchmarks/invariance.py runs every report in ../shared; these cover
a few per renderer (skipped when the program is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.pipeline import check_path
from conftest import EXAMPLES, SHARED as REAL
from renderers import available, differences, render

SOURCES = [EXAMPLES / "clean-2019.md", EXAMPLES / "defective-2021.md"]
# a web page scraped to one line (headings and a flattened table inside it), a markdown report
# with many small tables one under another
REAL_SOURCES = ["corpus/025_pingtan-zone-2025.txt", "corpus/004_shuyang-county-gov-2025_ocr.md"]


def _sources() -> list[Path]:
    found = list(SOURCES)
    return found + [REAL / name for name in REAL_SOURCES if (REAL / name).exists()]


def _needs(renderer: str):
    return pytest.mark.skipif(
        not available(renderer), reason=f"{renderer}: Debian's chromium or LibreOffice renders it"
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    made = {}

    def get(renderer: str) -> dict[Path, Path]:
        if renderer not in made:
            made[renderer] = render(_sources(), renderer, tmp_path_factory.mktemp(renderer))
        return made[renderer]

    return get


@pytest.mark.parametrize("renderer", [pytest.param(r, marks=_needs(r)) for r in ("chromium-pdf", "libreoffice-docx")])
def test_a_printed_or_converted_report_gives_its_sources_findings(rendered, renderer):
    made = rendered(renderer)
    for source in _sources():
        diff = {k: v for k, v in differences(check_path(source), check_path(made[source])).items() if v}
        assert not diff, (source.name, diff)


@_needs("libreoffice-pdf")
def test_libreoffice_pdf_gives_the_same_or_says_what_is_off_the_page(rendered):
    """LibreOffice lays table 四's fifteen columns wider than A4 (its HTML import keeps a table's
    natural width): the last columns are off the page, in the file but seen by nobody. The check
    says so (E006, on that page) and reads the report as it is seen; every other report gives
    its source's findings."""
    made = rendered("libreoffice-pdf")
    for source in _sources():
        result = check_path(made[source])
        diff = {k: v for k, v in differences(check_path(source), result).items() if v}
        off_page = [f for f in result.findings if f.code == "E006"]
        if source.name in ("clean-2019.md", "defective-2021.md"):
            assert off_page and off_page[0].loc.page >= 2 and "看不到" in off_page[0].message
            assert all(key.startswith("appeals.") for key in diff.get("cells_missing", [])), diff
        else:
            assert not diff and not off_page, (source.name, diff)
