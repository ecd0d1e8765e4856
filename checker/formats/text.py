"""What the clerk reads in a terminal: per file, findings in document order."""

from __future__ import annotations

from collections import Counter

_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_UNIT = {"paragraph": "段", "page": "页"}


def where(path: str, loc) -> str:
    if loc is None:
        return path
    if loc.unit == "page":
        return f"{path}:第{loc.page}页:{loc.line}"
    if loc.unit == "paragraph":
        return f"{path}:第{loc.line}段"
    return f"{path}:{loc.line}:{loc.column}"


def render(results, color: bool = False) -> str:
    lines = []
    totals: Counter = Counter()
    for result in results:
        facts = result.facts
        header = result.path
        if facts:
            bits = [facts.agency or "机关未识别", f"{facts.year}年度" if facts.year else "年度未识别",
                    facts.regime or "适用格式未识别"]
            header += "  （" + "，".join(bits) + "）"
        lines.append(header)
        for finding in result.findings:
            totals[finding.severity] += 1
            section = f"［第{finding.section}部分］" if finding.section else ""
            severity = _SEVERITY.get(finding.severity, finding.severity)
            if color:
                tint = {"error": "31", "warning": "33", "info": "36"}.get(finding.severity, "0")
                severity = f"\x1b[{tint}m{severity}\x1b[0m"
            lines.append(f"  {where(result.path, finding.loc)} {finding.code} {severity} {finding.message}{section}")
        if not result.findings:
            lines.append("  未发现问题")
    summary = "，".join(f"{_SEVERITY[s]} {totals[s]} 项" for s in ("error", "warning", "info"))
    lines.append(f"共检查 {len(results)} 份报告：{summary}")
    return "\n".join(lines) + "\n"
