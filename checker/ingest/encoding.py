"""Decode bytes whose encoding nobody declared reliably: UTF-8 (with or without BOM), UTF-16
with BOM, GB18030 (a superset of GBK and GB2312), in that order of trust."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Never raises: the last resort replaces bad bytes with
    U+FFFD, which the text-quality rules then report."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(data) - 3:
            try:  # a file cut inside its last character: that character is lost, nothing else
                return data[: error.start].decode("utf-8"), "utf-8 (truncated)"
            except UnicodeDecodeError:
                pass
    # UTF-8 damaged in a few places (a character cut at the end of a truncated file, a stray
    # byte) is still UTF-8: reading it as GB18030 would garble every line, title included
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(2, len(text) // 2000) and len(text) - bad > 2 * bad:
        return text, "utf-8 (damaged)"
    candidates = []
    if declared:
        candidates.append(declared.lower())
    candidates.append("gb18030")
    for name in candidates:
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace"), "utf-8 (with replacement characters)"


_CONTROLS = bytes(b for b in range(32) if b < 9 or 13 < b < 32)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control bytes in the first 4 KiB: not a text file."""
    head = data[:4096]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = (
            head[2:]
            .decode("utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be", "replace")
            .encode("utf-8")
        )  # Notepad's "Unicode": judged as the text it is
    elif b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls / len(head) > 0.05
