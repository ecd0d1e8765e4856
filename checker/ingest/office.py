"""Word 97-2003 (.doc), WPS (.wps), OpenDocument (.odt) and RTF: turned into .docx by LibreOffice
(`soffice --headless --convert-to docx`) in a private temporary folder, then read as Word. The
conversion has a time limit and its own LibreOffice profile, so a stuck or crafted file cannot
hold a batch or touch the user's settings; the input itself is never written to."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from checker.ingest.document import IngestError
from checker.os_reasons import os_reason

CONVERTED = {".doc": "doc", ".wps": "wps", ".odt": "odt", ".rtf": "rtf", ".dot": "doc", ".wpt": "wps"}
SECONDS = 120
INSTALL_HINT = ("需要 LibreOffice 才能读取（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），"
                "或在 Word、WPS 中另存为 .docx 后再检查")


def soffice() -> str | None:
    """LibreOffice's program: XXGK_SOFFICE if it names one, else soffice on the PATH."""
    named = os.environ.get("XXGK_SOFFICE")
    if named:
        return shutil.which(named)
    return shutil.which("soffice") or shutil.which("libreoffice")


def sniff(data: bytes) -> str | None:
    """An office file by its first bytes: OLE compound file (.doc, .wps), RTF."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    return None


def to_docx(data: bytes, kind: str) -> bytes:
    program = soffice()
    label = {"doc": "Word 97-2003（.doc）", "wps": "WPS（.wps）", "odt": "OpenDocument（.odt）",
             "rtf": "RTF"}.get(kind, kind)
    if not program:
        raise IngestError(f"{label}文件{INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="xxgk-office-") as folder:  # mode 0700: ours alone
        work = Path(folder)
        source = work / f"report.{kind}"
        source.write_bytes(data)
        out = work / "out"
        profile = work / "profile"
        try:
            done = subprocess.run(
                [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
                 "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
                capture_output=True, timeout=SECONDS, env={**os.environ, "HOME": folder}, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as error:
            raise IngestError(f"{label}文件转换超时（{SECONDS} 秒），未能读取") from error
        except OSError as error:
            raise IngestError(f"{label}文件无法转换：无法运行 LibreOffice（{os_reason(error)}）") from error
        target = out / "report.docx"
        if done.returncode != 0 or not target.exists():
            raise IngestError(f"{label}文件无法转换（文件可能已损坏或加密）")
        return target.read_bytes()
