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


def render(results, color: bool = False, excerpts: bool = True, quiet: int = 0, basis: bool = False) -> str:
    """quiet 1: the summary line only; 2: nothing. basis: each finding's legal basis under it."""
    lines = []
    totals: Counter = Counter()
    suppressed = 0
    for result in results:
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
        active = result.active
        suppressed += len(result.findings) - len(active)
        for finding in active:
            totals[finding.severity] += 1
            section = f"［第{finding.section}部分］" if finding.section else ""
            severity = _SEVERITY.get(finding.severity, finding.severity)
            if color:
                severity = f"\x1b[{_TINT.get(finding.severity, '0')}m{severity}\x1b[0m"
            # said in words for the clerk; the codes of what it stands for go with the basis
            also = f"（同一原因另有{len(finding.related)}处问题，已并入本条）" if finding.related else ""
            ocr = "［OCR 识别文字］" if excerpt.from_ocr(result.source, finding.loc) else ""
            lines.append(
                f"  {where(result.path, finding.loc)} {finding.code} {severity} {finding.message}{also}{section}{ocr}"
            )
            if excerpts:
                lines += [f"      {line}" for line in excerpt.render(result.source, finding.loc)]
            if basis:
                lines.append(f"      依据：{finding.basis}")
                if finding.related:
                    lines.append(f"      同一原因：{'、'.join(dict.fromkeys(f.code for f in finding.related))}")
        if not active:
            lines.append("  未发现问题")
    summary = "，".join(f"{_SEVERITY[s]} {totals[s]} 项" for s in ("error", "warning", "info"))
    waived = f"（另有 {suppressed} 项已豁免或在基线中）" if suppressed else ""
    closing = f"共检查 {len(results)} 份报告：{summary}{waived}"
    if quiet >= 2:
        return ""
    if quiet == 1:
        return closing + "\n"
    lines.append(closing)
    return "\n".join(lines) + "\n"


def statistics(results) -> str:
    """Counts per rule, most frequent first (--statistics)."""
    counts: Counter = Counter()
    meta = {}
    for result in results:
        for finding in result.active:
            counts[finding.code] += 1
            meta[finding.code] = finding
    width = max((len(str(n)) for n in counts.values()), default=1)
    return "".join(
        f"{n:>{width}}  {code}  {meta[code].name:<24} {_SEVERITY[meta[code].severity]}  {meta[code].title}\n"
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
