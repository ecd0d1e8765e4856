"""Stage 2: a normalised copy of the Document, and a record of everything that was changed.

Converts traditional to simplified script (OpenCC t2s), removes pinyin left after characters
("關(guān)"), folds full-width digits and letters, takes page furniture out of the text (当前位置,
打印本页 …; 发布时间 is kept as metadata) and notices encoding debris. The text-quality rules
report these records against the original positions; every later stage reads only the copy."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache, lru_cache

from checker.reflow import reflow
from checker.ingest.document import Change, Document, Loc, TableBlock, TextBlock
from checker.ingest.text import BODY_MARK

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A syllable in brackets right after a Chinese character, with at least one tone mark.
_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])[(（]([a-zü{_TONED}]{{0,6}}[{_TONED}][a-zü{_TONED}]{{0,6}})[)）]")
_INVISIBLE = re.compile("[\u200b-\u200f\u2028\u2029\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WIDE_DIGITS = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９ (--fix folds them in table cells)
_WIDE = dict(WIDE_DIGITS)
_WIDE.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDE.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDE.update(
    {0x3000: 0x20, 0xFF05: 0x25, 0xFF0E: 0x2E, 0xFF0B: 0x2B, 0xFF0D: 0x2D, 0xFF1D: 0x3D, 0xFF20: 0x40, 0xFF0F: 0x2F}
)
# Word's conditional comments and Office tags pasted as text (<!--[if !supportLists]-->7、<!--[endif]-->)
_MARKUP = re.compile(r"<!--\[if[^\]]{0,40}\](?:-->|>)|<!\[endif\]-->|<!--\[endif\]-->|<!\[if[^\]]{0,40}\]>|</?o:p>")
_REMOVABLE = re.compile(f"{_PINYIN.pattern}|{_INVISIBLE.pattern}|{_MARKUP.pattern}")  # one pass removes all three
_DEBRIS = re.compile(r"\ufffd+|(?:锟斤拷)+|(?:烫){3,}|(?:屯){3,}|Ã[\x80-\xbf]|â€[\x80-\xbf™œ]?|[ÂÃ][¡-¿]")
_MOJIBAKE_CHARS = "鍙鏀鐨銆锛鈥浠涓鍒绗鏈璇鎴闂淇鐢鍦鏁鍐鍔瀹彂鍏"
_MOJIBAKE_RE = re.compile("[" + re.escape("".join(sorted(_MOJIBAKE_CHARS))) + "]")
# A character any step of _Normalizer.text could act on (a tone mark, an invisible or wide
# character, "<", a debris or mojibake character). Most lines have none, and one character-class
# search is far cheaper than running every step (str.translate with a dict looks up each character).
_SUSPECT = re.compile(
    "["
    + re.escape(_TONED + "<\ufffd锟烫屯ÃâÂ" + _MOJIBAKE_CHARS + "".join(map(chr, sorted(_WIDE))))
    + "\u200b-\u200f\u2028\u2029\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)

_RESIDUE_STRONG = re.compile(
    r"当前位置|您(?:当前)?(?:的)?(?:所在)?位置[:：]|首页\s*[>＞»›]|发布(?:时间|日期)[:：]|"
    r"字号[:：]?\s*[【\[]?\s*大|打印本页|打印此页|关闭窗口|关闭本页|返回顶部|分享到|扫一扫|"
    r"浏览次数[:：]|点击(?:数|率|量)[:：]|阅读(?:次数|量)[:：]|【\s*(?:打印|关闭)\s*】|微信\s*微博\s*QQ空间|"
    # a site's toolbar: its 繁體版 link is the site's, not traditional script in the report
    # (a toolbar item stands alone between separators; "网站开设繁体版" in a sentence is no toolbar)
    r"(?:^|[|｜\s【\[])(?:[繁簡][體体]版?|[无無]障[碍礙](?:浏览|阅读|模式)?|长者版|关怀版)(?=$|[|｜\s】\]])"
)
_RESIDUE_TOKENS = re.compile(
    r"当前位置[:：]?|您(?:当前)?(?:的)?(?:所在)?位置[:：]?|首页|[>＞»›]|"
    r"发布(?:时间|日期)[:：]\s*[\d\-/.: 年月日时分]*|来源[:：]\s*\S{0,20}|作者[:：]\s*\S{0,10}|"
    r"(?:浏览|点击|阅读)(?:次数|数|率|量)?[:：]\s*\d*|字号[:：]?|[【\[]?\s*[大中小]\s*[】\]]?|"
    r"[【\[]?\s*(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|返回顶部|收藏|分享到)\s*[】\]]?|"
    r"扫一扫\S*|微信|微博|QQ空间|[繁簡简][體体]版?|[无無]障[碍礙](?:浏览|阅读|模式)?|长者版|关怀版|手机版|"
    r"English|ENGLISH|[|｜]|\s+"
)
_PUBLISHED = re.compile(r"发布(?:时间|日期)\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
# a page header's bare 时间：/日期： ("时间：2024-03-08 15:34 来源：县政府办"): the publication, read
# only near the top of the page, on a short line that is no sentence (a signature may say 日期： too)
_PAGE_DATE = re.compile(
    r"(?:^|[\s|｜])(?:发布|更新|发表)?(?:时间|日期)\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
HEADER_BLOCKS = 8
_META_KEY = re.compile(
    r"^(标题|发布时间|发布日期|文号|发布机构|栏目|原文链接|本地目录|来源|索引号|主题分类|"
    r"成文日期|页面链接[^:：]*)\s*[:：]?"
)


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def _t2s_uncached(text: str) -> str:
    converted = _converter().convert(text)
    if len(converted) != len(text):  # phrase-level conversion changed length: go char by char
        convert = _converter().convert
        converted = "".join(convert(ch) for ch in text)
    return converted


_t2s = lru_cache(maxsize=8192)(_t2s_uncached)  # table labels and short lines recur in every report of a batch


class _Normalizer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.changes: list[Change] = list(doc.changes)  # the reader's own (text off a PDF's page)
        self.meta = dict(doc.meta)
        texts = []
        self._cell_texts: dict[int, str] = {}  # a table's cells' text, joined once for both uses
        for block in doc.blocks:
            if isinstance(block, TextBlock):
                texts.append(block.text)
            else:
                texts.append(
                    self._cell_texts.setdefault(id(block), "\n".join([c.text for row in block.rows for c in row]))
                )
        traditional = "\n".join(texts)
        # (the whole text is every report's own: converted, not looked up in the cache of lines)
        self.needs_t2s = _t2s_uncached(traditional) != traditional if traditional else False

    def text(self, text: str, loc: Loc) -> tuple[str, tuple[tuple[int, int], ...]]:
        """Normalise one string; return it with its column shifts (see TextBlock.shifts)."""
        if text.isascii() and text.isprintable():
            return text, ()  # figures and blank cells: nothing here can need normalising
        if not self.needs_t2s and not _SUSPECT.search(text):
            return text, ()
        shifts: list[tuple[int, int]] = []
        if _PINYIN.search(text) or _INVISIBLE.search(text) or ("<" in text and _MARKUP.search(text)):
            out = []
            removed = 0
            pos = 0
            length = 0  # of what is kept so far: counted, never re-joined (a line of debris is long)
            for match in _REMOVABLE.finditer(text):
                out.append(text[pos : match.start()])
                length += match.start() - pos
                if match.group(1):
                    self.changes.append(Change("pinyin", _at(loc, match.start()), match.group(0)))
                elif match.group(0).startswith("<"):
                    self.changes.append(Change("debris", _at(loc, match.start()), match.group(0)))
                removed += match.end() - match.start()
                shifts.append((length, removed))
                pos = match.end()
            out.append(text[pos:])
            text = "".join(out)
        for match in _DEBRIS.finditer(text):
            self.changes.append(Change("debris", _at(loc, match.start()), match.group(0)))
        if _MOJIBAKE_RE.search(text) and len(_MOJIBAKE_RE.findall(text)) >= 6:
            self.changes.append(Change("debris", loc, text[:20], "乱码"))
        text = text.translate(_WIDE)
        if self.needs_t2s:
            simplified = _t2s(text)
            if simplified != text:
                diff = [i for i, (a, b) in enumerate(zip(text, simplified)) if a != b]
                self.changes.append(
                    Change(
                        "t2s", _at(loc, diff[0]), "".join(text[i] for i in diff), "".join(simplified[i] for i in diff)
                    )
                )
                text = simplified
        return text, tuple(shifts)

    def run(self) -> Document:
        blocks = []
        body_start = self._body_start()
        for index, block in self._reflowed():
            if isinstance(block, TableBlock):
                blocks.append(self._table(block))
                continue
            recorded = len(self.changes)
            text, shifts = self.text(block.text, block.loc)
            if index < body_start:
                self._published(text, block.loc)
                if text.startswith("标题") and "title" not in self.meta:
                    self.meta["title"] = re.sub(r"^标题\s*[:：]\s*", "", text)
                self.changes.append(Change("meta", block.loc, block.text))
                continue
            if index < HEADER_BLOCKS and len(text) < 80 and "。" not in text and _PAGE_DATE.search(text):
                self._published(text, block.loc, _PAGE_DATE)
                self.changes.append(Change("residue", block.loc, block.text))
                continue
            if _RESIDUE_STRONG.search(text):
                self._published(text, block.loc)
                leftover = _RESIDUE_TOKENS.sub("", text)
                breadcrumb = _RESIDUE_STRONG.match(text) and len(text) < 80 and "。" not in text
                if breadcrumb or len(leftover) <= max(8, len(text) * 0.3):
                    del self.changes[recorded:]  # what the page's frame held is no text of the report's
                    self.changes.append(Change("residue", block.loc, block.text))
                    continue
                self.changes.append(Change("residue", block.loc, _RESIDUE_STRONG.search(text).group(0)))
            if text:
                blocks.append(
                    block
                    if text is block.text and not shifts and not block.shifts
                    else TextBlock(text, block.loc, block.hint, shifts)
                )
        return replace(self.doc, blocks=tuple(blocks), changes=tuple(self.changes), meta=self.meta)

    def _reflowed(self):
        """(index of the original block, block), flattened lines cut at their headings."""
        return reflow(self.doc.blocks, _t2s if self.needs_t2s else None)

    def _table(self, block: TableBlock) -> TableBlock:
        if not self.needs_t2s and not _SUSPECT.search(self._cell_texts[id(block)]):
            return block  # the usual table: figures and plain labels
        seen: dict[int, object] = {}
        rows = []
        for row in block.rows:
            cells = []
            for cell in row:
                if id(cell) not in seen:  # a merged cell stays one object after normalising
                    text, _ = self.text(cell.text, cell.loc)
                    seen[id(cell)] = replace(cell, text=text) if text != cell.text else cell
                cells.append(seen[id(cell)])
            rows.append(tuple(cells))
        return replace(block, rows=tuple(rows))

    def _body_start(self) -> int:
        """A crawler's header (标题: … 原文链接: … ==== 正文 ====) is metadata, not report text."""
        for index, block in enumerate(self.doc.blocks[:15]):
            if isinstance(block, TextBlock) and BODY_MARK.match(block.text):
                if all(
                    isinstance(b, TextBlock) and (_META_KEY.match(b.text) or len(b.text) < 40)
                    for b in self.doc.blocks[:index]
                ):
                    return index + 1
        return 0

    def _published(self, text: str, loc: Loc, pattern: re.Pattern = _PUBLISHED):
        match = pattern.search(text)
        if match and "published" not in self.meta:
            self.meta["published"] = "%s-%02d-%02d" % (match.group(1), int(match.group(2)), int(match.group(3)))
            self.meta["published_line"] = loc.line


# what `xxgk check --fix` applies to a report's own text (checker/fixes.py)
PINYIN, MARKUP, PUBLISHED = _PINYIN, _MARKUP, _PUBLISHED


def to_simplified(text: str) -> str:
    return _t2s(text)


def _at(loc: Loc, index: int) -> Loc:
    return Loc(loc.line, loc.column + index, loc.page, loc.unit)


def normalize(doc: Document) -> Document:
    return _Normalizer(doc).run()
