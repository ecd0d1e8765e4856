"""GitHub Actions: workflow commands that annotate the files in a pull request, and a Markdown
summary for the job page when $GITHUB_STEP_SUMMARY is set."""

from __future__ import annotations

from collections import Counter

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(results) -> str:
    out = []
    for result in results:
        for finding in result.active:
            loc = finding.loc
            props = [f"file={_property(result.path)}"]
            if loc:
                props += [f"line={loc.line}", f"col={loc.column}"]
            props.append(f"title={_property(f'{finding.code} {finding.name}')}")
            page = f"（第{loc.page}页）" if loc and loc.unit == "page" else ""
            out.append(f"::{_COMMAND[finding.severity]} {','.join(props)}::{_data(finding.message + page)}")
    return "\n".join(out) + ("\n" if out else "")


class Summary:
    """The job summary, added to a document at a time: a table row per document, then the most
    frequent rules."""

    def __init__(self):
        self.rows = [
            "## xxgk-checker 检查结果",
            "",
            "| 报告 | 错误 | 警告 | 提示 | 已豁免 |",
            "|---|---:|---:|---:|---:|",
        ]
        self.codes: Counter = Counter()
        self.titles: dict = {}

    def add(self, result) -> None:
        counts = Counter(f.severity for f in result.active)
        waived = len(result.findings) - len(result.active)
        self.rows.append(f"| `{result.path}` | {counts['error']} | {counts['warning']} | {counts['info']} | {waived} |")
        for finding in result.active:
            self.codes[finding.code] += 1
            self.titles[finding.code] = (finding.title, finding.severity)

    def text(self) -> str:
        lines = list(self.rows)
        if self.codes:
            lines += ["", "| 规则 | 次数 | 级别 | 说明 |", "|---|---:|---|---|"]
            lines += [
                f"| {code} | {n} | {_SEVERITY[self.titles[code][1]]} | {self.titles[code][0]} |"
                for code, n in self.codes.most_common(20)
            ]
        return "\n".join(lines) + "\n"


def summary(results) -> str:
    """The job summary: one table row per document, then the most frequent rules."""
    out = Summary()
    for result in results:
        out.add(result)
    return out.text()
