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
INSTALL_HINT = (
    "需要 LibreOffice 才能读取（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），"
    "或在 Word、WPS 中另存为 .docx 后再检查"
)


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
    """The file as .docx, converted by LibreOffice in the sandbox (ingest.sandbox): its memory and
    time bounded, its process group killed when the time is up, no network where the OS can
    take it away, its private profile removed once it is dead."""
    from checker.ingest.sandbox import run_bounded

    label = LABELS.get(kind, kind)
    if not soffice():
        raise IngestError(f"{label}文件{INSTALL_HINT}")
    return run_bounded(f"{label}文件", _convert, data, kind)


LABELS = {"doc": "Word 97-2003（.doc）", "wps": "WPS（.wps）", "odt": "OpenDocument（.odt）", "rtf": "RTF"}
# The conversion profile: never update or fetch linked content (an image linked to http://… would
# be requested while converting — a read receipt for whoever sent the file), no macros.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def _offline() -> list[str]:
    """A prefix that runs a program with no network (a private network namespace), when the OS
    lets an ordinary user make one; else none (the profile still forbids fetching links)."""
    unshare = shutil.which("unshare")
    if not unshare:
        return []
    try:
        done = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return []
    return [unshare, "-rn"] if done.returncode == 0 else []


def _convert(data: bytes, kind: str, extend=None) -> bytes:
    from checker.ingest.sandbox import limits

    label = LABELS.get(kind, kind)
    seconds = min(SECONDS, limits().office_seconds)
    if extend is not None:
        extend(seconds + 5)
    folder = tempfile.mkdtemp(prefix="xxgk-office-")  # mode 0700: ours alone
    try:
        work = Path(folder)
        source = work / f"report.{kind}"
        source.write_bytes(data)
        out = work / "out"
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        try:
            done = subprocess.run(
                [
                    *_offline(),
                    soffice(),
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--norestore",
                    "--nolockcheck",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    str(out),
                    str(source),
                ],
                capture_output=True,
                timeout=seconds,
                env={**os.environ, "HOME": folder},
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as error:
            raise IngestError(f"{label}文件转换超时（{seconds:g} 秒），未能读取", kind="limit") from error
        except OSError as error:
            raise IngestError(f"{label}文件无法转换：无法运行 LibreOffice（{os_reason(error)}）") from error
        target = out / "report.docx"
        if done.returncode < 0 or done.returncode >= 128:  # killed by a signal (unshare passes it on as 128+N)
            raise IngestError(
                f"{label}文件转换时 LibreOffice 异常终止（可能超出 {limits().memory_mb} MB 的内存限制，"
                "文件可能经过构造），未能读取",
                kind="limit",
            )
        if done.returncode != 0 or not target.exists():
            raise IngestError(f"{label}文件无法转换（文件可能已损坏或加密）")
        return target.read_bytes()
    finally:
        _kill_own_group()  # soffice.bin and anything it left, before its profile goes
        shutil.rmtree(folder, ignore_errors=True)


def _kill_own_group() -> None:
    """Kill the other members of this process's group and wait for them to be gone: in the
    sandbox that is what LibreOffice started (soffice.bin outlives a killed soffice and would
    write its profile again after the folder is removed)."""
    import signal
    import time

    group, me = os.getpgrp(), os.getpid()
    if group != me:
        return  # not the sandbox's own group: never signal the caller's
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        others = [pid for pid in _group_members(group) if pid != me]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)


def _group_members(group: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":  # (a zombie is dead already)
                members.append(int(entry))
    return members
