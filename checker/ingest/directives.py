"""Directives written into a report as HTML comments (md, html, txt), which a document has
instead of code comments: `<!-- xxgk-disable A302 T204 -- 理由 -->` for the whole document,
`<!-- xxgk-disable-next A302 -- 理由 -->` for the paragraph or table that follows. In Word the
same text is a comment (批注): `xxgk-disable A302 -- 理由` applies to the commented range,
`xxgk-disable-next …` to the paragraph or table after it. Ingest only finds them; the gate
interprets them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# a directive is a short comment: bounded, so an unclosed "<!-- xxgk-" never scans the rest of the file
_DIRECTIVE = re.compile(r"<!--\s*xxgk-([a-z-]{1,40})(.{0,2000}?)-->", re.S)


@dataclass(frozen=True)
class Directive:
    verb: str  # disable | disable-next | anything else (reported as invalid)
    body: str  # "A302 T204 -- 理由"
    line: int
    end_line: int  # the line the comment ends on
    unit: str = "line"  # what line counts: a Word comment's are paragraphs
    span: tuple[int, int] | None = None  # a Word comment's disable: the range it comments, not the document


def find_directives(text: str) -> tuple[Directive, ...]:
    if "xxgk-" not in text:
        return ()
    found = []
    line, counted = 1, 0  # lines counted once, forward: linear in the file, not per directive
    for match in _DIRECTIVE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.append(Directive(match.group(1), match.group(2).strip(), line, line + match.group(0).count("\n")))
    return tuple(found)


def is_directive_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("<!--") and stripped.endswith("-->") and "xxgk-" in stripped


_COMMENT = re.compile(r"^\s*xxgk-([a-z-]{1,40})(.{0,2000})$", re.S)


def comment_directive(text: str) -> tuple[str, str] | None:
    """A Word comment that is a directive (`xxgk-disable A302 -- 理由`): (verb, body)."""
    match = _COMMENT.match(text)
    return (match.group(1), match.group(2).strip()) if match else None
