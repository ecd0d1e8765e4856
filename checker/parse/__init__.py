"""Stage 3: the normalised Document parsed by grammars/report.lark into a Report AST."""

from __future__ import annotations

import threading
from functools import cache

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError
from lark.lexer import Lexer

from checker.ingest.document import Document, Loc, TableBlock
from checker.parse.ast import Cell, Dateline, Paragraph, Report, Section, Table, Title
from checker.parse.lexer import Line, classify

__all__ = ["parse", "Report", "Section", "Paragraph", "Table", "Cell", "Title", "Dateline"]


class _LineLexer(Lexer):
    """The token stream is already made (one token per line); Lark just consumes it."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, tokens, *_):
        yield from tokens


@cache
def _parser() -> Lark:
    """The report grammar with _Build embedded: each rule's node is made as the parser reduces
    it, not from a parse tree built first and walked again afterwards (a tenth of parsing)."""
    from checker.resources import grammar_path
    from checker.user_cache import lalr

    return lalr(grammar_path("report.lark"), lexer=_LineLexer, maybe_placeholders=False, transformer=_Build())


_parsing = threading.local()  # the lines of the document being parsed, in this thread


def _token(kind: str, index: int, loc: Loc) -> Token:
    # start_pos carries the index of the line, so the transformer can find its block
    return Token(kind, kind, index, loc.line, loc.column)  # (type, value, start_pos, line, column)


def _table(block: TableBlock) -> Table:
    return Table(block.rows, block.loc, block.merged)  # merged cells stay one object per grid slot, as ingested


class _Build(Transformer):
    """Report nodes from the grammar's rules; a token's start_pos is the index of its line."""

    @property
    def lines(self) -> list[Line]:
        return _parsing.lines

    def _node(self, token: Token):
        line = self.lines[token.start_pos]
        if line.kind == "TABLE":
            return [_table(line.block)]
        block = line.block
        return [Paragraph(block.text, block.loc, line.marker, block.shifts)]

    def _nodes(self, items) -> list:  # (not _body: the grammar has a rule of that name)
        out = []
        for item in items:
            if isinstance(item, Token):
                out.extend(self._node(item))
            else:
                out.append(item)
        return out

    def _section(self, level: int, items) -> Section:
        head, *rest = items
        line = self.lines[head.start_pos]
        children = []
        if line.rest:
            loc = Loc(
                line.block.loc.line, line.block.column_of(line.rest_offset), line.block.loc.page, line.block.loc.unit
            )
            children.append(Paragraph(line.rest, loc, None))
        children.extend(self._nodes(rest))
        return Section(level, line.ordinal, line.number, line.heading, line.block.loc, tuple(children))

    def sec1(self, items):
        return self._section(1, items)

    def sec2(self, items):
        return self._section(2, items)

    def sec3(self, items):
        return self._section(3, items)

    def title(self, items):
        texts = tuple(self.lines[t.start_pos].block.text for t in items)
        return Title("".join(texts), texts, self.lines[items[0].start_pos].block.loc)

    def dateline(self, items):
        sign = next((t for t in items if t.type.endswith("SIGN")), None)
        date = next(t for t in items if t.type.endswith("DATE"))
        sign_block = self.lines[sign.start_pos].block if sign else None
        date_block = self.lines[date.start_pos].block
        return Dateline(
            date_block.text,
            date_block.loc,
            sign_block.text if sign_block else None,
            sign_block.loc if sign_block else None,
        )

    closing = dateline

    def lead(self, items):
        return ("lead", items)

    def start(self, items):
        title = next((i for i in items if isinstance(i, Title)), None)
        closing = next((i for i in items if isinstance(i, Dateline)), None)
        sections = tuple(i for i in items if isinstance(i, Section))
        lead_items = [i for i in items if isinstance(i, Token) and i.type == "PRE"]
        lead_items += next((i[1] for i in items if isinstance(i, tuple)), [])
        lead, dates, addressee = [], [], None
        for item in lead_items:
            if isinstance(item, Dateline):
                dates.append(item)
            elif isinstance(item, Token) and item.type == "ADDR":
                addressee = self.lines[item.start_pos].block.text.rstrip("：:")
            elif isinstance(item, Token):
                lead.extend(self._node(item))
            else:
                lead.append(item)
        return Report(title, tuple(lead), sections, closing, addressee, tuple(dates))


def _flat(lines: list[Line], error: str) -> Report:
    """The structure could not be placed: keep every line, in order, as lead paragraphs."""
    nodes = []
    for line in lines:
        if isinstance(line.block, TableBlock):
            nodes.append(_table(line.block))
        else:
            nodes.append(Paragraph(line.block.text, line.block.loc, line.marker, line.block.shifts))
    return Report(None, tuple(nodes), (), fallback=True, error=error)


def parse(doc: Document) -> Report:
    lines = classify(doc.blocks)
    tokens = [_token(line.kind, i, line.block.loc) for i, line in enumerate(lines)]
    _parsing.lines = lines
    try:
        return _parser().parse(tokens)
    except LarkError as error:
        return _flat(lines, str(error).splitlines()[0][:200])
    finally:
        _parsing.lines = None
