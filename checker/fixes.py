"""`xxgk check --fix`: the corrections whose result is certain and that never touch a figure's
value — traditional characters to simplified, pinyin and Word's conditional comments left in the
text (when those are all that was found of the kind), lines that are only web-page furniture,
and full-width digits in table cells. Applied to a copy (NAME.fixed.EXT) unless asked to fix in
place; a Word file keeps its formatting (the runs' text is edited, nothing else)."""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from checker.normalize import MARKUP, PINYIN, PUBLISHED, WIDE_DIGITS, to_simplified

_TAG = re.compile(r"(<[^>]*>)")
_CELL = re.compile(r"(<t[dh]\b[^>]*>)(.*?)(</t[dh]>)", re.S | re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Fixed:
    code: str  # the rule whose finding this removes ("" for full-width digits, which no rule reports)
    where: str
    what: str


@dataclass(frozen=True)
class Plan:
    t2s: bool
    pinyin: bool
    residue_lines: frozenset[int]  # lines (paragraphs) that are only page furniture


@cache
def _code(kind: str) -> str:
    """The code of the rule that reports what normalisation recorded of this kind (Q701 for
    t2s …): found by its check, never written here, so codes live in the rules' YAML alone."""
    from checker.engine.rules import builtin_rules

    return next(
        (r.code for r in builtin_rules() if r.check == "normalized" and kind in (r.raw_params.get("kinds") or ())), ""
    )


def plan(result) -> Plan | None:
    """What can be fixed in this document, from what its check found; None if it was not read."""
    if result.source is None or result.document is None:
        return None
    codes = {f.code for f in result.active}
    changes = result.document.changes
    debris = [c for c in changes if c.kind == "debris"]
    # pinyin and debris are fixed only when all the debris is conditional comments: "�" has
    # lost what it stood for, and cannot be put back
    pinyin = _code("pinyin") in codes and all(MARKUP.fullmatch(c.original) for c in debris)
    # page residue: only a line that is furniture through and through (the normaliser took it out
    # whole); a line with report text in it is left for the clerk
    lines = {(b.loc.line, getattr(b, "text", None)) for b in result.source.blocks}
    # (a line that gives the publication date stays: the deadline rules read it)
    residue = frozenset(
        c.loc.line
        for c in changes
        if c.kind == "residue"
        and _code("residue") in codes
        and (c.loc.line, c.original) in lines
        and not PUBLISHED.search(c.original)
    )
    return Plan(_code("t2s") in codes, pinyin, residue)


def fix_text(text: str, fmt: str, fixes: Plan) -> tuple[str, list[Fixed]]:
    """The fixed text of a txt, md or html report, and what was fixed where."""
    applied: list[Fixed] = []
    lines = text.splitlines(keepends=True)
    out = []
    for number, line in enumerate(lines, 1):
        if fmt != "html" and number in fixes.residue_lines:
            applied.append(Fixed(_code("residue"), f"第{number}行", f"删除网页残留行「{line.strip()[:30]}」"))
            continue
        new = line
        if fixes.t2s:
            new = _outside_tags(new, to_simplified) if fmt == "html" else to_simplified(new)
            if new != line:
                applied.append(Fixed(_code("t2s"), f"第{number}行", _changed(line, new)))
        if fixes.pinyin:
            before = new
            new = MARKUP.sub("", new)
            new = _outside_tags(new, _no_pinyin) if fmt == "html" else _no_pinyin(new)
            if new != before:
                applied.append(Fixed(_code("pinyin"), f"第{number}行", f"删除「{_removed(before, new)}」"))
        if fmt == "html":
            folded = _CELL.sub(lambda m: m.group(1) + m.group(2).translate(WIDE_DIGITS) + m.group(3), new)
        else:
            folded = new.translate(WIDE_DIGITS) if new.lstrip().startswith("|") else new
        if folded != new:
            applied.append(Fixed("", f"第{number}行", "表格中的全角数字改为半角"))
            new = folded
        out.append(new)
    return "".join(out), applied


def _no_pinyin(text: str) -> str:
    return PINYIN.sub("", text)


def _outside_tags(text: str, convert) -> str:
    """`convert` applied to a web page's text, never to its tags and attributes."""
    return "".join(part if part.startswith("<") else convert(part) for part in _TAG.split(text))


def _changed(before: str, after: str) -> str:
    pairs = [(a, b) for a, b in zip(before, after) if a != b]
    shown = "、".join(f"{a}→{b}" for a, b in dict.fromkeys(pairs))
    return f"繁体改为简体：{shown[:60]}"


def _removed(before: str, after: str) -> str:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return "".join(before[i1:i2] for tag, i1, i2, _, _ in matcher.get_opcodes() if tag in ("delete", "replace"))[:40]


def fix_docx(data: bytes, fixes: Plan) -> tuple[bytes, list[Fixed]]:
    """A copy of the Word file with the fixes made in its runs' text; every other part of the
    package, and every run's formatting, as it was."""
    from lxml import etree

    from checker.ingest.docx import numbered

    applied: list[Fixed] = []
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = [(item, source.read(item.filename)) for item in source.infolist()]
        comment = source.comment
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(next(payload for item, payload in parts if item.filename == "word/document.xml"), parser)
    body = root.find(_W + "body")
    ordinal = 0
    for element in list(body.iter(_W + "p", _W + "tbl")):
        if not numbered(element):
            continue  # counted as the reader counts paragraphs
        ordinal += 1
        if element.tag == _W + "p" and ordinal in fixes.residue_lines:
            text = "".join(t.text or "" for t in _own_runs_text(element))
            applied.append(Fixed(_code("residue"), f"第{ordinal}段", f"删除网页残留段「{text[:30]}」"))
            _remove_furniture(element)
            continue
        table = element.tag == _W + "tbl"
        for node in element.iter(_W + "t"):
            old = node.text or ""
            new = to_simplified(old) if fixes.t2s else old
            if new != old:
                applied.append(Fixed(_code("t2s"), f"第{ordinal}段", _changed(old, new)))
            if fixes.pinyin:
                stripped = _no_pinyin(MARKUP.sub("", new))
                if stripped != new:
                    applied.append(Fixed(_code("pinyin"), f"第{ordinal}段", f"删除「{_removed(new, stripped)}」"))
                    new = stripped
            if table:
                folded = new.translate(WIDE_DIGITS)
                if folded != new:
                    applied.append(Fixed("", f"第{ordinal}段", "表格中的全角数字改为半角"))
                    new = folded
            if new != old:
                node.text = new
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.comment = comment
        for item, payload in parts:
            if item.filename == "word/document.xml":
                prolog = _PROLOG.match(payload)  # the file's own declaration, as written
                body_xml = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
                payload = (
                    prolog.group(0) if prolog else b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                ) + body_xml
            target.writestr(item, payload)
    return out.getvalue(), applied


_PROLOG = re.compile(rb"^\s*<\?xml[^>]*\?>\s*")
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# what a paragraph may hold besides its text that a fix must never take away: a drawing or a text
# box, an embedded object, a field, a note or comment reference (inside a run) …
_KEPT_IN_RUN = {
    _W + n
    for n in (
        "drawing",
        "pict",
        "object",
        "fldChar",
        "instrText",
        "commentReference",
        "footnoteReference",
        "endnoteReference",
        "ruby",
    )
} | {_MC + "AlternateContent"}
# … and a bookmark, a comment's range or a simple field (beside the runs)
_ANCHORS = {
    _W + n
    for n in (
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "fldSimple",
        "ins",
        "del",
        "moveFrom",
        "moveTo",
    )
}


def _own_runs(paragraph) -> list:
    """The paragraph's runs of its own text (in hyperlinks and smart tags too), never a run
    inside a drawing's or text box's content."""
    runs = []
    for child in paragraph:
        if child.tag == _W + "r":
            runs.append(child)
        elif child.tag in (_W + "hyperlink", _W + "smartTag", _W + "customXml"):
            runs += _own_runs(child)
    return runs


def _own_runs_text(paragraph) -> list:
    return [
        t
        for run in _own_runs(paragraph)
        if not any(c.tag in _KEPT_IN_RUN for c in run.iter())
        for t in run.iter(_W + "t")
    ]


def _remove_furniture(paragraph) -> None:
    """Page furniture (【打印本页】) is removed: the whole paragraph when it holds nothing else, or
    only its text runs when it also anchors a text box, a drawing, a bookmark, a field or a comment."""
    kept = any(c.tag in _KEPT_IN_RUN for run in _own_runs(paragraph) for c in run.iter())
    anchored = any(c.tag in _ANCHORS for c in paragraph.iter())
    if not kept and not anchored:
        paragraph.getparent().remove(paragraph)
        return
    for run in _own_runs(paragraph):
        if not any(c.tag in _KEPT_IN_RUN for c in run.iter()):
            run.getparent().remove(run)


class CannotFix(Exception):
    """A file the fix leaves alone (the message says why, in Chinese)."""


def fixed_bytes(data: bytes, fmt: str, fixes: Plan, encoding: str | None) -> tuple[bytes, list[Fixed]]:
    """The file's bytes with the fixes made, in its own encoding; CannotFix when that cannot be
    done faithfully (bytes its declared encoding does not decode, a fixed character it cannot hold)."""
    if fmt == "docx":
        return fix_docx(data, fixes)
    encoding = encoding or "utf-8"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise CannotFix(f"文件中有不是 {encoding} 编码的字节（文件可能已损坏），修正会改动读不懂的内容") from None
    fixed, applied = fix_text(text, fmt, fixes)
    try:
        return fixed.encode(encoding), applied
    except UnicodeEncodeError as error:
        raise CannotFix(
            f"修正后的文字「{error.object[error.start : error.end]}」无法用文件的 {encoding} 编码保存"
        ) from None


FIXABLE = ("txt", "md", "html", "docx")


def corrected(result, data: bytes) -> tuple[bytes, list[Fixed]] | None:
    """The checked file's bytes with the certain fixes made, and what they were; None when there
    is nothing this file can have fixed; CannotFix with the reason when it cannot be done
    faithfully. Used by `xxgk check --fix` and the page's download alike."""
    fixes = plan(result)
    if fixes is None or result.source.format not in FIXABLE:
        return None
    if result.source.meta.get("converted_from"):
        raise CannotFix("经 LibreOffice 转换读取的文件不能直接修正（请另存为 .docx 后再修正）")
    new, applied = fixed_bytes(data, result.source.format, fixes, result.source.encoding)
    return (new, applied) if applied else None


def patch(lines) -> str:
    """A unified diff that `git apply` takes: a last line without its newline is marked so."""
    out = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def fixed_name(path: Path) -> Path:
    """report.docx → report.fixed.docx, beside it."""
    return path.with_name(f"{path.stem}.fixed{path.suffix}")


def text_lines(data: bytes, fmt: str, encoding: str | None) -> list[str]:
    """What a diff shows of a file: its lines (a Word file: its paragraphs' text)."""
    if fmt == "docx":
        from checker.ingest.docx import read_docx

        lines = []
        for block in read_docx(data):
            if hasattr(block, "rows"):  # a table: each row a line, its merged cells once
                lines += [" | ".join(c.text for c in dict.fromkeys(row)) + "\n" for row in block.rows]
            else:
                lines.append(block.text + "\n")
        return lines
    return data.decode(encoding or "utf-8").splitlines(keepends=True)
