"""One report, end to end: ingest → normalize → parse → facts → rules. A file that cannot be
read becomes a finding (E001/E003), so a batch never stops on one bad file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from checker.engine.context import Context
from checker.engine.finding import Finding, Hit
from checker.engine.rules import Rule, builtin_rules, rule_for
from checker.engine.runner import run_rules, to_finding
from checker.facts import Facts, Overrides, extract
from checker.ingest import IngestError, ingest_bytes, ingest_path
from checker.ingest.document import Document, Loc
from checker.normalize import normalize
from checker.parse import parse
from checker.parse.ast import Report


@dataclass
class Result:
    path: str
    findings: list[Finding]
    facts: Facts | None = None
    report: Report | None = None
    document: Document | None = None  # normalised
    unassessed: list = field(default_factory=list)
    source: Document | None = None  # as read, for excerpts of the original text
    evaluated: tuple[str, ...] = ()  # codes of the rules that applied to this document
    fail_on: str = "error"  # the threshold the gate applies to this document

    @property
    def title(self) -> str | None:
        return self.report.title.text if self.report and self.report.title else None

    @property
    def active(self) -> list[Finding]:
        """The findings that count (not waived, not in the baseline)."""
        return [f for f in self.findings if f.suppressed is None]


def _input_finding(path: str, error: IngestError, rules: tuple[Rule, ...]) -> Result:
    rule = (
        rule_for(rules, "input", error.kind)
        or rule_for(rules, "input", "unreadable")
        or rule_for(builtin_rules(), "input", "unreadable")
    )
    return Result(
        path,
        [to_finding(rule, Hit({"detail": str(error)}, loc=Loc(1), section=None, anchor=None, key="input"))],
        evaluated=(rule.code,),
    )


def analyse(doc: Document, overrides: Overrides = Overrides(), rules: tuple[Rule, ...] | None = None) -> Result:
    rules = builtin_rules() if rules is None else rules
    normal = normalize(doc)
    report = parse(normal)
    facts = extract(report, normal, overrides)
    ctx = Context(normal, report, facts)
    evaluated: list[str] = []
    findings = run_rules(ctx, rules, evaluated)
    return Result(doc.path, findings, facts, report, normal, ctx.unassessed, doc, tuple(evaluated))


def check_path(path: str | Path, overrides: Overrides = Overrides(), rules: tuple[Rule, ...] | None = None) -> Result:
    rules = builtin_rules() if rules is None else rules
    try:
        doc = ingest_path(path)
    except IngestError as error:
        return _input_finding(str(path), error, rules)
    return analyse(doc, overrides, rules)


def check_bytes(
    data: bytes, name: str, overrides: Overrides = Overrides(), rules: tuple[Rule, ...] | None = None
) -> Result:
    rules = builtin_rules() if rules is None else rules
    try:
        doc = ingest_bytes(data, name)
    except IngestError as error:
        return _input_finding(name, error, rules)
    return analyse(doc, overrides, rules)


def check_one(
    source: str | Path | bytes,
    name: str | None = None,
    overrides: Overrides = Overrides(),
    rules: tuple[Rule, ...] | None = None,
) -> Result:
    """The one way every front end checks one input (the CLI, checker.check_*, the server, the
    audit's workers): a file by its path, or bytes with the name they were given; a defect of
    ours becomes a finding on that input (internal_error) and the batch goes on — unless
    XXGK_DEBUG is set, where it is raised for the developer."""
    import os

    from checker.ingest import sandbox

    rules = builtin_rules() if rules is None else rules
    label = name if name is not None else str(source)
    seconds = sandbox.limits().check_cpu_seconds
    try:
        with sandbox.cpu_limit(seconds):
            if isinstance(source, (bytes, bytearray)):
                return check_bytes(bytes(source), label, overrides, rules)
            return check_path(source, overrides, rules)
    except sandbox.CheckTooLong:
        detail = f"检查该文件超过 {seconds:g} 秒 CPU 时间的上限（文件可能经过构造），未能完成检查"
        return _input_finding(label, IngestError(detail, kind="limit"), rules)
    except Exception as error:  # noqa: BLE001 - a defect of ours must not stop a batch or show a traceback
        if os.environ.get("XXGK_DEBUG"):
            raise
        return internal_error(label, error, rules)


def worker_died(path: str, rules: tuple[Rule, ...]) -> Result:
    """A report whose worker process died twice on it (killed, out of memory): E001 on it, and
    the batch goes on (checker.parallel)."""
    return _input_finding(
        path, IngestError("处理该文件的工作进程意外终止（已单独重试一次），文件可能过大或损坏"), rules
    )


def internal_error(path: str, error: Exception, rules: tuple[Rule, ...]) -> Result:
    """A defect in the checker itself: reported on that file as E001, the batch goes on."""
    detail = f"检查该文件时发生内部错误（{type(error).__name__}: {error}），请附上此文件报告问题"
    return _input_finding(path, IngestError(detail), rules)
