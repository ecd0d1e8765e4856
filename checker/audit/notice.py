"""notice.docx: the 通报 a 政务公开办 sends out after its spring audit, drafted from the audit's
own data in 公文 layout — the year's ranking (who did not publish last), the agencies that did
not publish, the most common defects with their counts, and each agency's main causes — for the
office to edit, not to send as it is."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from checker.audit.spreadsheet import main_causes
from checker.audit.summary import DocSummary

COMMON = 10  # defects listed


def _cell(text: str) -> str:
    return str(text).replace("|", "｜").replace("\n", " ")


def markdown(docs: list[DocSummary], stats: dict) -> str:
    """The draft as Markdown (the 公文 writer lays it out)."""
    year = f"{stats['year']}年度" if stats.get("year") else ""
    published = [d for d in docs if not d.absent]
    absent = [d for d in docs if d.absent]
    # best first, as a 通报 ranks; who did not publish last, whatever a score says
    ranked = sorted(published, key=lambda d: (d.score is None, -(d.score or 0))) + absent
    roster = f"（名册 {stats['roster']} 个机关）" if stats.get("roster") is not None else ""
    lines = [
        f"# 关于{year}政府信息公开工作年度报告检查情况的通报（稿）",
        "",
        "各有关单位：",
        "",
        f"按照《中华人民共和国政府信息公开条例》和政府信息公开工作年度报告格式的要求，对{year}政府信息公开工作年度报告"
        "进行了检查。现将有关情况通报如下。",
        "",
        "## 一、总体情况",
        "",
        f"应发布年度报告的机关中，已发布 {stats['published']} 份{roster}，未发布 {stats['absent']} 个；"
        f"逾期公布 {stats['late']} 份，无法读取 {stats['unreadable']} 份；已发布报告平均得分 {stats['mean_score']} 分。",
        "",
        "## 二、未发布年度报告的机关",
        "",
        "、".join(d.agency or d.path for d in absent) + "。" if absent else "无。",
        "",
        "## 三、检查得分排名",
        "",
        "| 名次 | 机关 | 得分 | 主要问题 |",
        "|---|---|---|---|",
    ]
    for place, doc in enumerate(ranked, 1):
        causes = "未发布年度报告" if doc.absent else "；".join(main_causes(doc, 2)) or "未发现问题"
        score = "" if doc.score is None else f"{doc.score:g}"
        lines.append(f"| {place} | {_cell(doc.agency or Path(doc.path).name)} | {score} | {_cell(causes)} |")
    tally: Counter = Counter()
    reports: Counter = Counter()
    titles: dict[str, str] = {}
    for doc in published:
        for finding in doc.findings:
            if finding.suppressed is None and finding.severity != "info":
                tally[finding.code] += 1
                titles[finding.code] = finding.title
        reports.update({f.code for f in doc.findings if f.suppressed is None and f.severity != "info"})
    lines += ["", "## 四、常见问题", ""]
    if tally:
        lines += ["| 问题 | 次数 | 涉及报告 |", "|---|---|---|"]
        lines += [f"| {_cell(titles[c])}（{c}） | {n} | {reports[c]} |" for c, n in tally.most_common(COMMON)]
    else:
        lines.append("未发现错误和警告。")
    lines += [
        "",
        "## 五、有关要求",
        "",
        "请各单位对照本通报和检查明细，逐项核实整改，于　月　日前将整改情况报送；未发布年度报告的，请即补发。"
        "【此段为示例，请按实际修改。】",
        "",
        "（发文机关）",
        "",
        "　　年　月　日",
        "",
    ]
    return "\n".join(lines)


def write(docs: list[DocSummary], stats: dict, path: Path) -> None:
    from checker.formats.docx_writer import write as write_docx

    write_docx(markdown(docs, stats), path, merge=False)
