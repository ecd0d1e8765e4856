"""JUnit XML for CI test tabs: one testsuite per document, one testcase per rule evaluated on it,
so passing rules show as passed. A rule fails when it has a finding at or above --fail-on; lower
ones are listed in the testcase's output; a rule whose findings were all waived is skipped."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from checker.engine.finding import SEVERITY_RANK
from checker.formats.text import where


def render(results, rules, fail_on: str = "error") -> str:
    by_code = {r.code: r for r in rules}
    root = ET.Element("testsuites", name="xxgk-checker")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    names: dict[str, int] = {}
    for result in results:
        suite_name = result.path
        names[suite_name] = names.get(suite_name, 0) + 1
        if names[suite_name] > 1:  # the same path twice (e.g. - and a file): keep names unique
            suite_name = f"{suite_name} ({names[suite_name]})"
        suite = ET.SubElement(root, "testsuite", name=suite_name)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        codes = list(dict.fromkeys([*result.evaluated, *(f.code for f in result.findings)]))
        for code in sorted(codes):
            rule = by_code.get(code)
            findings = [f for f in result.findings if f.code == code]
            active = [f for f in findings if f.suppressed is None]
            case = ET.SubElement(
                suite,
                "testcase",
                classname=suite_name,
                name=f"{code} {rule.name if rule else findings[0].name}",
                time="0",
            )
            counts["tests"] += 1
            failing = [f for f in active if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on]]
            listing = "\n".join(f"{where(result.path, f.loc)} [{f.severity}] {f.message}" for f in active)
            if failing:
                counts["failures"] += 1
                failure = ET.SubElement(
                    case, "failure", type=failing[0].severity, message=f"{len(failing)} 项：{failing[0].message}"[:500]
                )
                failure.text = listing
            elif findings and not active:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message="；".join(sorted({f.suppressed.reason for f in findings}))[:500])
            elif listing:
                ET.SubElement(case, "system-out").text = listing
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
