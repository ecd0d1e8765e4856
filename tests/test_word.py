"""Word documents read as Word shows them: numbers that come from Word's automatic numbering, the
text with tracked changes accepted (and a warning that they are still there), text boxes,
fields that are not report text, and directives written as comments. The documents are made by
LibreOffice (an OpenDocument file with outline numbering converted to .docx), or by editing a
.docx's XML the way Word writes tracked changes and comments."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from checker.pipeline import check_bytes, check_path
from conftest import EXAMPLES, codes, run_cli
from renderers import libreoffice_convert

SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(not SOFFICE, reason="Debian's libreoffice-writer-nogui converts the ODT")

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
_TOP = re.compile(r"^## [一二三四五六七八九十]+、(.*)$")
_SUB = re.compile(r"^（[一二三四五六七八九十]+）(.*)$")


def odt_from_markdown(markdown: str, target: Path) -> Path:
    """The report as an OpenDocument text whose section headings ("一、") and sub-headings
    ("（一）") are numbered by the document's outline numbering, not typed."""
    body, table = [], []

    def flush():
        if table:
            width = max(len(r) for r in table)
            rows = "".join(
                "<table:table-row>"
                + "".join(
                    f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>"
                    for c in r + [""] * (width - len(r))
                )
                + "</table:table-row>"
                for r in table
            )
            body.append(
                f'<table:table><table:table-column table:number-columns-repeated="{width}"/>{rows}</table:table>'
            )
            table.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            if not re.fullmatch(r"\|(-+\|)+", line.strip()):
                table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush()
        if not line.strip():
            continue
        top, sub = _TOP.match(line), _SUB.match(line)
        if top:
            body.append(
                f'<text:h text:outline-level="1" text:style-name="Heading_20_1">{escape(top.group(1))}</text:h>'
            )
        elif sub and len(sub.group(1)) < 40 and "。" not in sub.group(1)[:-1]:
            body.append(
                f'<text:h text:outline-level="2" text:style-name="Heading_20_2">{escape(sub.group(1))}</text:h>'
            )
        else:
            body.append(f"<text:p>{escape(line.lstrip('# '))}</text:p>")
    flush()
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} office:version="1.3">'
        f"<office:body><office:text>{''.join(body)}</office:text></office:body></office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_NS} office:version="1.3"><office:styles>'
        '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"/>'
        '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"/>'
        '<text:outline-style style:name="Outline">'
        '<text:outline-level-style text:level="1" style:num-format="一, 二, 三, ..." style:num-suffix="、"/>'
        '<text:outline-level-style text:level="2" style:num-format="一, 二, 三, ..." style:num-prefix="（" style:num-suffix="）" text:display-levels="1"/>'
        "</text:outline-style></office:styles></office:document-styles>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(target, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        package.writestr("META-INF/manifest.xml", manifest)
        package.writestr("content.xml", content)
        package.writestr("styles.xml", styles)
    return target


def _to_docx(source: Path, folder: Path) -> Path:
    return libreoffice_convert(source, "docx:MS Word 2007 XML", folder, timeout=120)


@needs_libreoffice
def test_headings_numbered_by_word_read_with_the_number_word_shows(tmp_path):
    markdown = (EXAMPLES / "clean-2021.md").read_text(encoding="utf-8")
    docx = _to_docx(odt_from_markdown(markdown, tmp_path / "numbered.odt"), tmp_path)
    with zipfile.ZipFile(docx) as package:  # LibreOffice wrote the numbers as Word numbering
        assert re.search(r'w:numFmt w:val="\w*Counting', package.read("word/numbering.xml").decode())
        assert "一、总体情况" not in package.read("word/document.xml").decode()
    result = check_path(docx)
    texts = " ".join(b.text for b in result.source.blocks if hasattr(b, "text"))
    assert "一、总体情况" in texts and "六、其他需要报告的事项" in texts
    assert "（二）依申请公开" in texts and "（二）存在的主要问题" in texts  # level 2 restarts in each section
    assert len(result.facts.sections) == 6
    assert not [c for c in codes(result) if c[0] in "S"], codes(result)


def _edited(docx: Path, edit) -> bytes:
    """The .docx with its document.xml (and any part `edit` returns) changed."""
    source = io.BytesIO(docx.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        parts = {name: old.read(name) for name in old.namelist()}
        parts = edit(parts)
        for name, data in parts.items():
            new.writestr(name, data)
    return out.getvalue()


def _add_part(parts: dict, name: str, xml: str, content_type: str, relation: str) -> None:
    parts[name] = xml.encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'
    ).encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdX{len(parts)}" Type="{relation}" Target="{name.split("/")[-1]}"/></Relationships>',
    ).encode()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_tracked_changes_are_read_accepted_and_reported():
    """A deletion and an insertion as Word records them: the text is checked as it reads with the
    changes accepted, and Q707 says the document still holds them."""
    source = EXAMPLES / "clean-2021.docx"

    def edit(parts):
        xml = parts["word/document.xml"].decode()
        run = "<w:r><w:t>（二）依申请公开。全年共收到政府信息公开申请45件"
        assert run in xml
        xml = xml.replace(
            run,
            '<w:r><w:t>（二）依申请公开。</w:t></w:r><w:del w:id="91" w:author="科员" '
            'w:date="2025-01-10T09:00:00Z"><w:r><w:delText>全年共收到申请99件，</w:delText></w:r></w:del>'
            '<w:ins w:id="92" w:author="科员" w:date="2025-01-10T09:00:00Z"><w:r><w:t>经核实，</w:t></w:r>'
            "</w:ins><w:r><w:t>全年共收到政府信息公开申请45件",
            1,
        )
        parts["word/document.xml"] = xml.encode()
        return parts

    result = check_bytes(_edited(source, edit), "draft.docx")
    text = " ".join(p.text for p in result.report.paragraphs())
    assert "经核实，全年共收到政府信息公开申请45件" in text and "99件" not in text
    (q707,) = [f for f in result.findings if f.code == "Q707"]
    assert "2处" in q707.message and q707.loc.unit == "paragraph"
    assert codes(check_path(source)) == [c for c in codes(result) if c != "Q707"]


def test_a_comment_with_a_directive_waives_the_commented_range_and_others_are_reported(tmp_path):
    source = EXAMPLES / "defective-2021.docx"
    original = check_path(source)
    target = next(f for f in original.findings if f.code.startswith("A"))
    comments = (
        f'<w:comments {W}><w:comment w:id="7" w:author="科员"><w:p><w:r><w:t>xxgk-disable {target.code} -- '
        "上级统计口径调整，已书面说明</w:t></w:r></w:p></w:comment>"
        '<w:comment w:id="8" w:author="科长"><w:p><w:r><w:t>这里再核一下</w:t></w:r></w:p></w:comment></w:comments>'
    )

    def edit(parts):
        xml = parts["word/document.xml"].decode()
        tables = [m.start() for m in re.finditer("<w:tbl>", xml)]
        ends = [m.end() for m in re.finditer("</w:tbl>", xml)]
        table = next(i for i in range(len(tables)) if i + 1 == target.loc.cell[0]) if target.loc.cell else 0
        xml = (
            xml[: tables[table]]
            + '<w:commentRangeStart w:id="7"/>'
            + xml[tables[table] : ends[table]]
            + '<w:p><w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r></w:p>'
            + xml[ends[table] :]
        )
        first = xml.index("<w:p>", xml.index("<w:body>"))
        xml = (
            xml[:first] + '<w:p><w:commentRangeStart w:id="8"/><w:r><w:t>备注</w:t></w:r><w:commentRangeEnd w:id="8"/>'
            '<w:r><w:commentReference w:id="8"/></w:r></w:p>' + xml[first:]
        )
        parts["word/document.xml"] = xml.encode()
        _add_part(
            parts,
            "word/comments.xml",
            comments,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
        )
        return parts

    draft = tmp_path / "draft.docx"
    draft.write_bytes(_edited(source, edit))
    done = run_cli("check", draft, "--format", "json")
    (document,) = (
        json.loads(done.stdout)["documents"] if "documents" in json.loads(done.stdout) else json.loads(done.stdout)
    )
    found = document["findings"]
    waived = [f for f in found if f["code"] == target.code and f.get("suppressed")]
    assert waived and waived[0]["suppressed"]["kind"] == "directive" and "统计口径" in waived[0]["suppressed"]["reason"]
    assert len(waived) == len(
        [f for f in original.findings if f.code == target.code and f.loc.cell and f.loc.cell[0] == target.loc.cell[0]]
    )  # the commented table, not the document
    (q707,) = [f for f in found if f["code"] == "Q707"]
    assert "这里再核一下" in q707["message"] and "xxgk" not in q707["message"]


def test_page_fields_a_table_of_contents_and_text_boxes():
    """A PAGE field's result and a table of contents are not report text; a text box's text is
    read once, as its own paragraph (not again from the drawing's fallback copy)."""
    source = EXAMPLES / "clean-2021.docx"
    toc = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-2" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>一、总体情况 1</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>六、其他需要报告的事项 3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        '<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>'
    )
    box = (
        '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框中的说明文字</w:t></w:r></w:p>'
        "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>"
        "<w:t>文本框中的说明文字</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )

    def edit(parts):
        xml = parts["word/document.xml"].decode()
        first = xml.index("<w:p>", xml.index("<w:body>"))
        parts["word/document.xml"] = (xml[:first] + toc + box + xml[first:]).encode()
        return parts

    result = check_bytes(_edited(source, edit), "fields.docx")
    texts = [b.text for b in result.source.blocks if hasattr(b, "text")]
    assert texts.count("文本框中的说明文字") == 1
    assert not [t for t in texts if t.endswith(" 1") or t.endswith(" 3") or t == "7"]
    assert sorted(codes(result)) == sorted(codes(check_path(source)))


def test_a_styles_part_seen_before_is_not_read_again_but_a_changed_one_is():
    """The heading levels Word's styles give are kept per styles part as stored: a second report
    from the same template reads them without inflating styles.xml; a report whose styles.xml
    differs (here the heading style renamed to body text) is read afresh, not given the first
    report's answer."""
    from checker.ingest import docx as reader
    from checker.ingest import ingest_bytes

    original = EXAMPLES / "clean-2021.docx"

    def levels(data: bytes) -> dict[str, int]:
        return {b.text: b.hint for b in ingest_bytes(data, "r.docx").blocks if getattr(b, "hint", 0)}

    first = levels(original.read_bytes())
    assert first.get("一、总体情况") == 1, first  # Heading1 → level 1
    reads = []
    real = reader._styles_in
    try:
        reader._styles_in = lambda raw, used: reads.append(len(raw)) or real(raw, used)
        assert levels(original.read_bytes()) == first and reads == []  # the same template: not read again
        renamed = _edited(
            original,
            lambda parts: {
                **parts,
                "word/styles.xml": parts["word/styles.xml"].replace(
                    b'w:styleId="Heading1"><w:name w:val="heading 1"', b'w:styleId="Heading1"><w:name w:val="Body Text"'
                ),
            },
        )
        assert levels(renamed).get("一、总体情况") is None and len(reads) == 1  # changed: read, and believed
    finally:
        reader._styles_in = real
