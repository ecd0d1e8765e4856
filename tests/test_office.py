"""Word 97-2003, WPS, OpenDocument and RTF files are checked through LibreOffice (Debian's
package): the example converted to each gives the findings and keyed cells of the .docx it came
from, located by paragraph; without LibreOffice the file is E001 saying what to install."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.pipeline import check_path
from conftest import EXAMPLES, codes
from renderers import libreoffice_convert

SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(not SOFFICE, reason="Debian's libreoffice-writer-nogui converts the files")


def _convert(source: Path, kind: str, folder: Path) -> Path:
    return libreoffice_convert(source, kind, folder, timeout=120)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    source = EXAMPLES / "defective-2021.docx"
    return {kind: _convert(source, kind, folder) for kind in ("doc", "odt", "rtf")}


@needs_libreoffice
@pytest.mark.parametrize("kind", ["doc", "odt", "rtf"])
def test_an_office_file_gives_the_findings_of_its_docx(converted, kind, tmp_path):
    original = check_path(EXAMPLES / "defective-2021.docx")
    result = check_path(converted[kind])
    assert result.document.meta["converted_from"] == kind
    assert sorted((f.code, f.anchor) for f in result.findings) == sorted((f.code, f.anchor) for f in original.findings)
    assert {k: c.value for k, c in result.facts.cells.items()} == {k: c.value for k, c in original.facts.cells.items()}
    assert all(f.loc is None or f.loc.unit == "paragraph" for f in result.findings)
    # the same bytes under a misleading name are read as what they are
    if kind == "doc":
        renamed = tmp_path / "report.docx"
        renamed.write_bytes(converted[kind].read_bytes())
        assert codes(check_path(renamed)) == codes(original)


@needs_libreoffice
def test_without_libreoffice_a_doc_is_e001_saying_what_to_install(converted, monkeypatch):
    monkeypatch.setenv("XXGK_SOFFICE", "no-such-program-anywhere")
    result = check_path(converted["doc"])
    assert codes(result) == ["E001"] and "libreoffice-writer-nogui" in result.findings[0].message


def test_a_broken_doc_is_e001_not_a_traceback(tmp_path):
    broken = tmp_path / "broken.doc"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert codes(check_path(broken)) == ["E001"]
