"""What a rule reports: a Finding, with everything the formats need and nothing they must compute."""

from __future__ import annotations

import hashlib
from dataclasses import KW_ONLY, dataclass

from checker.ingest.document import Loc

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Hit:
    """A check's raw result: where, and the values for the rule's message template. All but the
    values are named (Hit(values, loc=…, anchor=…, key=…)): anchor and key make the fingerprint
    that baselines and waivers hold, and a slip in their order would move every one of them."""

    args: dict
    _: KW_ONLY
    loc: Loc | None = None
    section: str | None = None
    anchor: str | None = None
    key: str = ""  # what makes this hit unique within its rule (for the fingerprint)
    severity: str | None = None  # a check may lower the rule's severity for a milder case
    topic: str | None = None  # what the hit is about, for `subsumes: {same: topic}`
    evidence: str | None = None  # the cell value or phrase the finding is about; its excerpt shows it
    variant: str | None = None  # which of the rule's `messages` (YAML) words this hit
    # a relation that fails: (cell key, amount) pairs, each a single cell that, changed by that
    # amount, would make it hold; two failures sharing one are one wrong cell (`same: cell`)
    suspects: frozenset = frozenset()


@dataclass(frozen=True)
class Suppression:
    """Why a finding does not count: a waiver, a directive in the document, or a baseline."""

    kind: str  # waiver | directive | baseline
    reason: str
    source: str  # the waivers file, "path:line" of the directive, or the baseline file
    approver: str | None = None
    expires: str | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    title: str
    severity: str
    message: str
    loc: Loc | None
    section: str | None
    anchor: str | None
    basis: str
    fingerprint: str
    suppressed: Suppression | None = None
    topic: str | None = None
    evidence: str | None = None
    related: tuple["Finding", ...] = ()  # findings of the same cause this one subsumes (rule YAML `subsumes`)
    exception: str | None = None  # for an internal error of one rule: the exception's type
    suspects: frozenset = frozenset()

    @property
    def sort_key(self):
        loc = self.loc
        if loc is None:
            return (0, 0, 0, self.code)
        return (loc.page or 0, loc.line, loc.column, self.code)


def fingerprint(code: str, anchor: str | None, key: str) -> str:
    """Stable across edits elsewhere in the report: built from structure, not line numbers."""
    return hashlib.sha1(f"{code}|{anchor or ''}|{key}".encode("utf-8")).hexdigest()[:16]
