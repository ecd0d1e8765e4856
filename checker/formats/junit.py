"""JUnit XML for CI test tabs: one testsuite per document, one testcase per rule evaluated on it,
so passing rules show as passed. A rule fails when it has a finding at or above --fail-on; lower
ones are listed in the testcase's output; a rule whose findings were all waived is skipped."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from checker.engine.finding import SEVERITY_RANK
from checker.formats.text import where


class Stream:
    """JUnit a document at a time: each testsuite is made and written out as XML when its report
    is checked (into a spooled file, in memory up to 8 MB, then on disk), and the root — whose
    totals are known only at the end — is put around them. The tree of a 10,000-report batch held
    whole was 400 MB; the bytes are the same."""

    def __init__(self, rules, fail_on: str = "error"):
        import tempfile

        self.by_code = {r.code: r for r in rules}
        self.fail_on = fail_on
        self.totals = {"tests": 0, "failures": 0, "skipped": 0}
        self.names: dict[str, int] = {}
        self.suites = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8")

    def add(self, result) -> None:
        suite = self._suite(result)
        ET.indent(suite, level=1)
        suite.tail = "\n"  # what indenting the whole tree gives a suite before the next
        self.suites.write("  " + ET.tostring(suite, encoding="unicode"))

    def _suite(self, result):
        suite_name = result.path
        self.names[suite_name] = self.names.get(suite_name, 0) + 1
        if self.names[suite_name] > 1:  # the same path twice (e.g. - and a file): keep names unique
            suite_name = f"{suite_name} ({self.names[suite_name]})"
        suite = ET.Element("testsuite", name=suite_name)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        codes = list(dict.fromkeys([*result.evaluated, *(f.code for f in result.findings)]))
        for code in sorted(codes):
            rule = self.by_code.get(code)
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
            failing = [f for f in active if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[self.fail_on]]
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
            self.totals[key] += value
        suite.set("errors", "0")
        return suite

    def write_to(self, out) -> None:
        """The whole document into `out` (a text stream)."""
        root = ET.Element("testsuites", name="xxgk-checker")
        for key, value in self.totals.items():
            root.set(key, str(value))
        root.set("errors", "0")
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        if not self.names:
            out.write(ET.tostring(root, encoding="unicode") + "\n")
            return
        root.text = "\n"
        head = ET.tostring(root, encoding="unicode")
        out.write(head[: head.rindex("</testsuites>")])
        self.suites.seek(0)
        while chunk := self.suites.read(1 << 20):
            out.write(chunk)
        out.write("</testsuites>\n")
        self.suites.close()


def render(results, rules, fail_on: str = "error") -> str:
    import io

    stream = Stream(rules, fail_on)
    for result in results:
        stream.add(result)
    out = io.StringIO()
    stream.write_to(out)
    return out.getvalue()
