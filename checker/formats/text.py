"""What the clerk reads in a terminal: per file, findings in document order, each with the line
it points at and a caret under the spot."""

from __future__ import annotations

from collections import Counter

from checker.formats import excerpt

_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_TINT = {"error": "31", "warning": "33", "info": "36"}


def where(path: str, loc) -> str:
    if loc is None:
        return path
    cell = f"（表{loc.cell[0]} 第{loc.cell[1]}行 第{loc.cell[2]}列）" if loc.cell else ""
    if loc.unit == "page":
        return f"{path}:第{loc.page}页 第{loc.line}行{cell}"
    if loc.unit == "paragraph":
        if loc.cell:
            return f"{path}:表{loc.cell[0]} 第{loc.cell[1]}行 第{loc.cell[2]}列"
        return f"{path}:第{loc.line}段"
    return f"{path}:{loc.line}:{loc.column}"


class Stream:
    """The text output a document at a time (a batch writes each as it is checked), then the
    closing line. quiet 1: the closing line only; 2: nothing. basis: each finding's legal
    basis under it."""

    def __init__(self, color: bool = False, excerpts: bool = True, quiet: int = 0, basis: bool = False):
        self.color, self.excerpts, self.quiet, self.basis = color, excerpts, quiet, basis
        self.totals: Counter = Counter()
        self.suppressed = self.documents = 0

    def document(self, result) -> str:
        self.documents += 1
        active = result.active
        self.suppressed += len(result.findings) - len(active)
        self.totals.update(f.severity for f in active)
        return "\n".join(self._lines(result, active)) + "\n" if self.quiet == 0 else ""

    def _lines(self, result, active) -> list[str]:
        lines = []
        facts = result.facts
        header = result.path
        if facts:
            bits = [
                facts.agency or "机关未识别",
                f"{facts.year}年度" if facts.year else "年度未识别",
                facts.regime or "适用格式未识别",
            ]
            header += "  （" + "，".join(bits) + "）"
        lines.append(header)
        scanned = (result.source.meta.get("ocr_pages") if result.source else None) or ()
        if scanned:
            lines.append(f"  第{'、'.join(map(str, scanned))}页是扫描图像，文字由 OCR 识别，个别字符可能识别有误")
        for finding in active:
            section = f"［第{finding.section}部分］" if finding.section else ""
            severity = _SEVERITY.get(finding.severity, finding.severity)
            if self.color:
                severity = f"\x1b[{_TINT.get(finding.severity, '0')}m{severity}\x1b[0m"
            # said in words for the clerk; the codes of what it stands for go with the basis
            also = f"（同一原因另有{len(finding.related)}处问题，已并入本条）" if finding.related else ""
            ocr = "［OCR 识别文字］" if excerpt.from_ocr(result.source, finding.loc) else ""
            lines.append(
                f"  {where(result.path, finding.loc)} {finding.code} {severity} {finding.message}{also}{section}{ocr}"
            )
            if self.excerpts:
                lines += [f"      {line}" for line in excerpt.render(result.source, finding.loc)]
            if self.basis:
                lines.append(f"      依据：{finding.basis}")
                if finding.related:
                    lines.append(f"      同一原因：{'、'.join(dict.fromkeys(f.code for f in finding.related))}")
        if not active:
            lines.append("  未发现问题")
        return lines

    def closing(self) -> str:
        summary = "，".join(f"{_SEVERITY[s]} {self.totals[s]} 项" for s in ("error", "warning", "info"))
        waived = f"（另有 {self.suppressed} 项已豁免或在基线中）" if self.suppressed else ""
        return f"共检查 {self.documents} 份报告：{summary}{waived}\n" if self.quiet < 2 else ""


def render(results, color: bool = False, excerpts: bool = True, quiet: int = 0, basis: bool = False) -> str:
    """quiet 1: the summary line only; 2: nothing. basis: each finding's legal basis under it."""
    stream = Stream(color, excerpts, quiet, basis)
    return "".join(stream.document(result) for result in results) + stream.closing()


class Tally:
    """Counts per rule (--statistics), added to a document at a time."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.meta: dict = {}

    def add(self, result) -> None:
        for finding in result.active:
            self.counts[finding.code] += 1
            self.meta[finding.code] = finding

    def render(self) -> str:
        """Most frequent first."""
        counts, meta = self.counts, self.meta
        width = max((len(str(n)) for n in counts.values()), default=1)
        return "".join(
            f"{n:>{width}}  {code}  {meta[code].name:<24} {_SEVERITY[meta[code].severity]}  {meta[code].title}\n"
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        )


def statistics(results) -> str:
    """Counts per rule, most frequent first (--statistics)."""
    tally = Tally()
    for result in results:
        tally.add(result)
    return tally.render()
