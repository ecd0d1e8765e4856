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
def _sections_file() -> dict:
    return load_yaml((rules_dir() / "vocab" / "sections.yaml").read_text(encoding="utf-8"))


@cache
def section_vocabulary() -> tuple[SectionWord, ...]:
    return tuple(SectionWord(s["ordinal"], s["title"], tuple(s["keywords"])) for s in _sections_file()["sections"])


def outline_2008() -> tuple[str, ...]:
    """The sections a template offers for years under the 2008 regulation."""
    return tuple(_sections_file()["regulation-2008"])
