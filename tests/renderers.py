"""The programs real reports pass through before they reach us, run for real: Debian's Chromium
printing a web page to PDF, and LibreOffice turning a page into a Word document or a PDF. Used by
the format-invariance tests and benchmarks/invariance.py: the same report must give the same keyed
cells and the same findings whatever program made the file."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from batch import md_to_html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
RENDERERS = ("chromium-pdf", "libreoffice-docx", "libreoffice-pdf")


def available(renderer: str) -> bool:
    return Path(CHROMIUM if renderer.startswith("chromium") else SOFFICE).exists()


def as_html(path: Path) -> str:
    """The report as a web page: an html report as it is; md and txt as an agency's site would
    carry them (a <p> a line, "|" rows as a ruled table, spacing kept)."""
    data = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm"):
        from checker.ingest.encoding import decode
        from checker.ingest.html import declared_charset

        return decode(data, declared_charset(data))[0]
    page = md_to_html(data.decode("utf-8-sig", errors="replace"))
    style = (
        "<style>p{white-space:pre-wrap;margin:0.2em 0}table{border-collapse:collapse}"
        "td{border:1px solid #000;padding:2px 4px}</style>"
    )
    return page.replace("</head>", style + "</head>")


def chromium_pdf(page: str, target: Path) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.html"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
    return target


def libreoffice_convert(source: Path, kind: str, folder: Path, timeout: float = 180) -> Path:
    """A document converted by LibreOffice Writer (`kind`: doc, odt, pdf, or a filter such as
    "docx:MS Word 2007 XML"), with a private profile and no network; the file it made."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                kind,
                "--outdir",
                str(folder),
                str(source),
            ],
            capture_output=True,
            timeout=timeout,
            check=True,
            env={**os.environ, "HOME": work},
        )
    return folder / f"{source.stem}.{kind.split(':')[0]}"


def libreoffice_pdf(document: Path, folder: Path) -> Path:
    """A Word document as LibreOffice Writer prints it to PDF."""
    return libreoffice_convert(document, "pdf:writer_pdf_Export", folder)


def libreoffice(pages: dict[str, str], kind: str, folder: Path) -> dict[str, Path]:
    """Each page (name → html) converted by LibreOffice Writer to `kind` (docx or pdf), in one
    soffice run with a private profile."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        sources = []
        for name, page in pages.items():
            source = Path(work) / f"{name}.html"
            source.write_text(page, encoding="utf-8")
            sources.append(str(source))
        export = {"docx": "docx:MS Word 2007 XML", "pdf": "pdf:writer_pdf_Export"}[kind]
        profile = Path(work) / "profile"
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--infilter=HTML (StarWriter)",
                "--convert-to",
                export,
                "--outdir",
                str(folder),
                *sources,
            ],
            capture_output=True,
            timeout=600,
            check=True,
            env={**os.environ, "HOME": work},
        )
    return {name: folder / f"{name}.{kind}" for name in pages}


def render(paths: list[Path], renderer: str, folder: Path) -> dict[Path, Path]:
    """Every report rendered by one program: source path → the file it made."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {f"{i:03d}_{p.stem}": p for i, p in enumerate(paths)}
    if renderer == "chromium-pdf":
        return {p: chromium_pdf(as_html(p), folder / f"{name}.pdf") for name, p in names.items()}
    kind = renderer.split("-")[1]
    made = libreoffice({name: as_html(p) for name, p in names.items()}, kind, folder)
    return {names[name]: path for name, path in made.items()}


def _format_bound(one: str, other: str) -> set[str]:
    """Rules that by design look at one of the two formats and not the other (Q703: a web page's
    frame belongs to the page, but printed into a PDF or Word file it is in the document)."""
    from checker.engine.rules import builtin_rules

    return {
        rule.code
        for rule in builtin_rules()
        if (one in rule.raw_params.get("skip_formats", ())) != (other in rule.raw_params.get("skip_formats", ()))
    }


def differences(source, rendered) -> dict:
    """What the rendered file's check gives that its source's does not, locations aside: keyed
    cells missing or with another value, and findings (code and anchor) missing or extra — but
    not those of a rule that by design skips one of the two formats and not the other."""
    cells = {k: c.value for k, c in source.facts.cells.items()} if source.facts else {}
    got = {k: c.value for k, c in rendered.facts.cells.items()} if rendered.facts else {}
    bound = (
        _format_bound(source.document.format, rendered.document.format)
        if source.document and rendered.document
        else set()
    )
    mine = {(f.code, f.anchor) for f in source.findings if f.code not in bound}
    theirs = {(f.code, f.anchor) for f in rendered.findings if f.code not in bound}
    return {
        "cells_missing": sorted(k for k in cells if k not in got),
        "cells_differ": sorted(f"{k}: {cells[k]} → {got[k]}" for k in cells if k in got and got[k] != cells[k]),
        "cells_extra": sorted(k for k in got if k not in cells),
        "findings_missing": sorted(f"{c} {a}" for c, a in mine - theirs),
        "findings_extra": sorted(f"{c} {a}" for c, a in theirs - mine),
    }


def escape(text: str) -> str:
    return html.escape(text)
