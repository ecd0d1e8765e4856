"""Vocabulary read from rules/vocab/ that more than one stage needs (normalisation splits
flattened text at section headings; facts match headings to sections)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


from checker.resources import rules_dir, load_yaml


@dataclass(frozen=True)
class SectionWord:
    ordinal: str
    title: str
    keywords: tuple[str, ...]


@cache
def section_vocabulary() -> tuple[SectionWord, ...]:
    data = load_yaml((rules_dir() / "vocab" / "sections.yaml").read_text(encoding="utf-8"))
    return tuple(SectionWord(s["ordinal"], s["title"], tuple(s["keywords"])) for s in data["sections"])
