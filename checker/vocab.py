"""Vocabulary read from rules/vocab/ that more than one stage needs (normalisation splits
flattened text at section headings; facts match headings to sections)."""

from __future__ import annotations

from dataclasses import dataclass
import os
import re
from functools import cache


from checker.resources import rules_dir, load_yaml


@dataclass(frozen=True)
class SectionWord:
    ordinal: str
    title: str
    keywords: tuple[str, ...]
    statutory: tuple[str, ...] = ()  # headings worded as the 条例's 第五十条 words the item


@cache
def _sections_file() -> dict:
    return load_yaml((rules_dir() / "vocab" / "sections.yaml").read_text(encoding="utf-8"))


@cache
def section_vocabulary() -> tuple[SectionWord, ...]:
    return tuple(
        SectionWord(s["ordinal"], s["title"], tuple(s["keywords"]), tuple(s.get("statutory") or ()))
        for s in _sections_file()["sections"]
    )


@cache
def ordinals() -> str:
    """The six sections' ordinals in their order (一…六)."""
    return "".join(w.ordinal for w in section_vocabulary())


def outline_2008() -> tuple[str, ...]:
    """The sections a template offers for years under the 2008 regulation."""
    return tuple(_sections_file()["regulation-2008"])


@cache
def lookalikes() -> dict[str, str]:
    """Each confusable character → the characters it may have been mistaken for."""
    out: dict[str, str] = {}
    for group in load_yaml((rules_dir() / "vocab" / "lookalikes.yaml").read_text(encoding="utf-8"))["groups"]:
        for char in group:
            out[char] = out.get(char, "") + group.replace(char, "")
    return out


@cache
def table_row_openings() -> tuple[str, ...]:
    """How the official tables' numbered row labels begin ("本年新收", "上年结转" …, from the
    layout YAML): text after "一、" that starts so is a table row, not a heading."""
    from checker.resources import load_yaml, rules_dir

    found: list[str] = []
    for path in sorted((rules_dir() / "tables").glob("*.yaml")):
        layout = load_yaml(path.read_text(encoding="utf-8"))
        for table in layout.get("tables", {}).values():
            rows = [r for block in table.get("blocks", [table]) for r in block.get("rows", [])] + table.get(
                "groups", []
            )
            for row in rows:
                label = re.sub(r"\s+", "", str(row.get("label", "")))
                match = re.match(r"^[一二三四五六七八九十]+、(.{4})", label)
                if match and match.group(1) not in found:
                    found.append(match.group(1))
    return tuple(found)


@cache
def _divisions() -> dict:
    """The GB/T 2260 names the rules need, derived from the GB2260 package's tables once per
    machine (importing and walking them costs 30 ms a start) and kept in the user's cache."""
    from importlib.util import find_spec

    from checker.user_cache import cached_json

    def build() -> dict:
        from gb2260.data import data

        levels: dict[str, str] = {}
        for revision in data.values():
            for code, name in revision.items():
                if code % 10000 == 0:
                    levels[name] = "province"
                elif code % 100 == 0 and name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                    levels.setdefault(name, "prefecture")
        return {"levels": levels, "names": sorted({name for revision in data.values() for name in revision.values()})}

    # keyed by the data file itself (importlib.metadata alone takes 30 ms to import); -1: bump when build() changes
    source = os.stat(os.path.join(find_spec("gb2260").submodule_search_locations[0], "data.py"))
    return cached_json(f"gb2260-{source.st_size}-{source.st_mtime_ns}-1", build)


@cache
def division_levels() -> dict[str, str]:
    """GB/T 2260 names by level: "province" (北京市, 广东省), "prefecture" (设区的市, 自治州, 地区, 盟)."""
    return _divisions()["levels"]


@cache
def place_names() -> frozenset[str]:
    """Every province, prefecture and county name of GB/T 2260, in any revision the GB2260
    package carries (2002–2013). Names a later revision added are unknown here, which can only
    hide a look-alike, never invent one. Loaded on first use."""
    return frozenset(_divisions()["names"])


@cache
def check_words() -> dict:
    """The words of the check types (rules/vocab/checks.yaml): per check type, the patterns it
    looks for in a report and the phrases its findings and load errors are worded with."""
    return load_yaml((rules_dir() / "vocab" / "checks.yaml").read_text(encoding="utf-8"))
