"""Files whose cost the file decides, written from scratch (tests and benchmarks/hostile.py use
them): PDFs whose Form XObjects draw each other, whose stream inflates to gigabytes, whose page is
metres wide, or which are hundreds of blank scanned pages; an OpenDocument text of hundreds of
thousands of paragraphs, or one that links an image on a web server."""

from __future__ import annotations

import io
import zipfile
import zlib


def pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF of the numbered objects (1, 2, …) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _pages(
    contents: list[int], size: tuple[float, float] = (595, 842), resources: bytes = b"<< >>", first: int = 3
) -> list[bytes]:
    """Catalog (1) and Pages (2) for pages numbered from `first`, each drawing one content object."""
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(len(contents)))
    head = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents))]
    pages = [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources %s /Contents %d 0 R >>"
        % (size[0], size[1], resources, content)
        for content in contents
    ]
    return head + pages


def xobject_bomb(levels: int, fanout: int = 10) -> bytes:
    """Form XObject k draws k+1 `fanout` times, `levels` deep: fanout ** levels draws of a line of
    text, from a file of a few kilobytes."""
    first_form = 5  # 1 catalog, 2 pages, 3 page, 4 page content
    objects = _pages([4], resources=b"<< /XObject << /X0 %d 0 R >> >>" % first_form)
    objects.append(_stream(b"q /X0 Do Q"))
    font = first_form + levels + 1
    for level in range(levels + 1):
        if level < levels:
            body = b" ".join([b"q /X Do Q"] * fanout)
            resources = b"<< /XObject << /X %d 0 R >> >>" % (first_form + level + 1)
        else:
            body = b"BT /F 12 Tf 10 10 Td (report 2024) Tj ET"
            resources = b"<< /Font << /F %d 0 R >> >>" % font
        objects.append(_stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return pdf(objects)


def flate_bomb(megabytes: int) -> bytes:
    """One page whose content stream inflates to `megabytes` MB (of spaces: valid, empty drawing)."""
    objects = _pages([4])
    objects.append(_stream(b" " * (megabytes * 1024 * 1024), compress=True))
    return pdf(objects)


def wide_page(points: float) -> bytes:
    """One page `points` square with no text layer (a scan, as far as the reader can tell) and a
    line drawn on it, so that it is not blank."""
    objects = _pages([4], size=(points, points))
    objects.append(_stream(b"0 0 0 RG 20 w 0 0 m %g %g l S" % (points, points)))
    return pdf(objects)


def blank_scan(pages: int) -> bytes:
    """`pages` pages with nothing on them and no text layer: what a scanner gives for empty sheets."""
    objects = _pages(list(range(3 + pages, 3 + 2 * pages)))
    objects += [_stream(b"") for _ in range(pages)]
    return pdf(objects)


_ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
    'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path='
    '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
)


def odt(body: str) -> bytes:
    """An OpenDocument text whose office:text holds `body`."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS} office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", _ODT_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def odt_paragraphs(count: int) -> bytes:
    return odt("<text:p>某局2024年政府信息公开工作年度报告</text:p>" + "<text:p/>" * count)


def odt_linking(url: str) -> bytes:
    """A report whose one image is linked (not embedded) from `url`: opening it fetches the URL."""
    image = (
        f'<draw:frame draw:name="i" svg:width="2cm" svg:height="2cm"><draw:image xlink:href="{url}" '
        'xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame>'
    )
    return odt(f"<text:p>某局2024年政府信息公开工作年度报告</text:p><text:p>{image}</text:p>")
