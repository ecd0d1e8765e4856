"""One line per finding, for editors and grep: path:line:col: CODE [severity] message.
(A PDF's line is counted within its page, which the message then names.)"""

from __future__ import annotations


def render(results) -> str:
    out = []
    for result in results:
        for finding in result.active:
            loc = finding.loc
            line, column = (loc.line, loc.column) if loc else (1, 1)
            page = f"（第{loc.page}页）" if loc and loc.unit == "page" else ""
            out.append(f"{result.path}:{line}:{column}: {finding.code} [{finding.severity}] {finding.message}{page}")
    return "\n".join(out) + ("\n" if out else "")
