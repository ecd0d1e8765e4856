"""A check's words, from rules/vocab/checks.yaml: the patterns it searches a report for (each
compiled once, through the same guard as a rule's patterns) and the phrases its findings and its
load errors are worded with. A check holds no Chinese of its own (tests/test_literals.py)."""

from __future__ import annotations

import re
from functools import cache

from checker.patterns import checked
from checker.vocab import check_words


class Words:
    """One check type's vocabulary: `words.re.name` a compiled pattern, `words.say(name, **values)`
    a phrase filled in (the check's own, else a shared one), `words[name]` a plain value."""

    def __init__(self, raw: dict, shared: dict):
        self._raw = raw
        self._phrases = {**shared.get("phrases", {}), **raw.get("phrases", {})}
        self.re = _Patterns(raw.get("patterns") or {})

    def __getitem__(self, name: str):
        return self._raw[name]

    def say(self, name: str, *args, **values) -> str:
        return self._phrases[name].format(*args, **values)

    def listed(self, items, sep: str = "list") -> str:
        """Items joined as Chinese lists them (、), or as clauses (；)."""
        return self._phrases[sep].join(str(item) for item in items)


class _Patterns:
    def __init__(self, sources: dict):
        self._sources = sources
        self._compiled: dict[str, re.Pattern] = {}

    def __getattr__(self, name: str) -> re.Pattern:
        try:
            return self._compiled[name]
        except KeyError:
            pass
        try:
            source = self._sources[name]
        except KeyError:
            raise AttributeError(name) from None
        compiled = self._compiled[name] = checked(source if isinstance(source, str) else "|".join(source))
        return compiled


@cache
def words(check: str) -> Words:
    """The words of one check type (a section of checks.yaml; `shared` holds what all use)."""
    table = check_words()
    return Words(table.get(check) or {}, table["shared"])
