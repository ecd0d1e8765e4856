"""Stage 1: any input file becomes a Document. Nothing downstream knows the input format."""

from __future__ import annotations

from pathlib import Path

from checker.ingest.document import (
    CJK,
    Block,
    CellText,
    Change,
    Document,
    IngestError,
    Loc,
    Refused,
    TableBlock,
    TextBlock,
    read_regular,
)
from checker.ingest.encoding import decode, looks_binary
from checker.ingest.office import sniff as sniff_office
from checker.os_reasons import os_reason

__all__ = [
    "Block",
    "CellText",
    "Change",
    "Document",
    "IngestError",
    "Loc",
    "TableBlock",
    "TextBlock",
    "ingest_bytes",
    "ingest_path",
    "SUPPORTED",
    "format_of",
]

SUPPORTED = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    # read as Word after LibreOffice converts them (checker/ingest/office.py)
    ".doc": "office",
    ".wps": "office",
    ".odt": "office",
    ".rtf": "office",
    ".dot": "office",
    ".wpt": "office",
}
MAX_BYTES = 64 * 1024 * 1024  # a PDF with scanned pages may be large; a report is never this large
MAX_TEXT_BYTES = 16 * 1024 * 1024  # txt, md, html: a report is a few hundred KB
MIN_CJK = 1  # not one Chinese character: not a report at all (or an encoding we cannot read)


def _cjk(block) -> int:
    texts = [block.text] if isinstance(block, TextBlock) else [c.text for row in block.rows for c in row]
    return sum(len(CJK.findall(text)) for text in texts)


def format_of(name: str, data: bytes = b"") -> str | None:
    """The format by extension, else by content (stdin, files without extension)."""
    fmt = SUPPORTED.get(Path(name).suffix.lower())
    if fmt:
        return fmt
    if Path(name).suffix and Path(name).suffix.lower() not in ("", ".tmp"):
        if name != "-" and not name.startswith("<"):
            return None
    head = data[:1024].lstrip()
    if sniff_office(data):
        return "office"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head[:1] == b"<":
        return "html"
    return "md"


def ingest_bytes(data: bytes, name: str) -> Document:
    fmt = format_of(name, data)
    if fmt in ("txt", "md", "html") and data[:5] == b"%PDF-":
        fmt = "pdf"  # a PDF saved with the wrong extension: read what it is
    elif fmt in ("txt", "md", "html") and data[:4] == b"PK\x03\x04":
        fmt = "docx"
    if fmt is None:
        raise IngestError(
            f"不支持的文件格式「{Path(name).suffix}」：支持 txt、md、html、docx、pdf，"
            "以及经 LibreOffice 转换的 doc、wps、odt、rtf"
        )
    if fmt in ("docx", "txt", "md", "html") and sniff_office(data):
        fmt = "office"  # a .doc or .rtf saved under another name: read what it is
    limit = MAX_BYTES if fmt in ("pdf", "docx", "office") else MAX_TEXT_BYTES
    if len(data) > limit:
        raise IngestError(f"文件过大（超过 {limit // (1024 * 1024)} MB 上限）")
    meta: dict = {}
    if fmt == "office":
        from checker.ingest.office import CONVERTED, to_docx

        kind = CONVERTED.get(Path(name).suffix.lower()) or sniff_office(data) or "doc"
        data = to_docx(data, kind)
        fmt, meta["converted_from"] = "docx", kind
    if fmt == "pdf" and not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise IngestError("文件扩展名为 .pdf，但内容不是 PDF")
    if fmt == "docx" and not data.startswith(b"PK"):
        raise IngestError("文件扩展名为 .docx，但内容不是 Word 文档")
    encoding = None
    if fmt == "docx":
        from checker.ingest.docx import read_docx

        skipped: list = []
        blocks = read_docx(data, skipped, meta)
        if skipped:
            meta["skipped_tables"] = skipped
    elif fmt == "pdf":
        from checker.ingest.pdf import preload, read_pdf
        from checker.ingest.sandbox import run_bounded

        preload()
        blocks, meta = run_bounded("PDF", read_pdf, data)
    else:
        if looks_binary(data):
            raise IngestError("文件不是文本（含二进制内容），无法按文本读取")
        if fmt == "html":
            from checker.ingest.html import declared_charset, read_html

            text, encoding = decode(data, declared_charset(data))
            blocks, meta = read_html(text)
        else:
            from checker.ingest.text import read_markdown, read_text

            text, encoding = decode(data)
            blocks = read_markdown(text) if fmt == "md" else read_text(text)
        from checker.ingest.directives import find_directives

        meta["directives"] = find_directives(text)
        meta["lines"] = text.splitlines()  # the source as read, for excerpts in findings
    if not blocks:
        raise IngestError("文件没有可读取的文字内容")
    _number_cells(blocks)
    if not any(_cjk(b) >= MIN_CJK for b in blocks[:400]):
        raise IngestError("文件中几乎没有中文文字，不是政府信息公开工作年度报告（或编码无法识别）")
    changes = tuple(meta.pop("changes", ()))  # what the reader noticed (text off a PDF's page)
    return Document(path=name, format=fmt, blocks=tuple(blocks), encoding=encoding, meta=meta, changes=changes)


def _number_cells(blocks) -> None:
    """Every cell learns its place as a reader names it: table N, row r, column c (from 1; a
    merged cell by its top-left slot). Done here, once, for every format. A cell's Loc is new
    from the reader and not yet seen by anyone, so it is filled in where it is — unless a reader
    shared it between cells: then the later cells get a copy."""
    number = 0
    seen: set[int] = set()  # ids of the cells numbered (a merged cell fills several slots)
    filled: set[int] = set()  # ids of the Locs numbered
    for block in blocks:
        if not isinstance(block, TableBlock):
            continue
        number += 1
        if block.rows and block.rows[0] and block.rows[0][0].loc.cell == (number, 1, 1):
            continue  # numbered by its reader as it made the cells (markdown, Word)
        for row in block.rows:
            for cell in row:
                if id(cell) in seen:
                    continue
                seen.add(id(cell))
                loc = cell.loc
                place = (number, cell.row + 1, cell.col + 1)
                if id(loc) in filled:
                    cell.loc = Loc(loc.line, loc.column, loc.page, loc.unit, place, loc.bbox)
                else:
                    loc.cell = place  # (a place a reader gave is corrected, never kept wrong)
                    filled.add(id(loc))


def ingest_path(path: str | Path) -> Document:
    path = Path(path)
    limit = MAX_BYTES if SUPPORTED.get(path.suffix.lower()) in ("pdf", "docx", "office") else MAX_TEXT_BYTES
    try:
        data = read_regular(path, limit)
    except Refused as refused:
        raise IngestError(
            {
                "directory": "这是一个目录，其中的文件无法列出（权限不足？）",
                "special": "不是普通文件（管道、设备或套接字），未读取",
            }.get(
                refused.kind, f"文件过大（{refused.size // (1024 * 1024)} MB），超过 {limit // (1024 * 1024)} MB 上限"
            )
        ) from None
    except OSError as error:
        raise IngestError(os_reason(error)) from error
    return ingest_bytes(data, str(path))
