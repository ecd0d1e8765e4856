"""Vocabulary read from rules/vocab/ that more than one stage needs (normalisation splits
flattened text at section headings; facts match headings to sections)."""

from __future__ import annotations

from dataclasses import dataclass
import re
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
            rows = [r for block in table.get("blocks", [table]) for r in block.get("rows", [])] + table.get("groups", [])
            for row in rows:
                label = re.sub(r"\s+", "", str(row.get("label", "")))
                match = re.match(r"^[一二三四五六七八九十]+、(.{4})", label)
                if match and match.group(1) not in found:
                    found.append(match.group(1))
    return tuple(found)


@cache
def division_levels() -> dict[str, str]:
    """GB/T 2260 names by level: "province" (北京市, 广东省), "prefecture" (设区的市, 自治州, 地区, 盟)."""
    from gb2260.data import data

    out: dict[str, str] = {}
    for revision in data.values():
        for code, name in revision.items():
            if code % 10000 == 0:
                out[name] = "province"
            elif code % 100 == 0 and name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                out.setdefault(name, "prefecture")
    return out


@cache
def place_names() -> frozenset[str]:
    """Every province, prefecture and county name of GB/T 2260, in any revision the GB2260
    package carries (2002–2013). Names a later revision added are unknown here, which can only
    hide a look-alike, never invent one. Imported on first use: most reports never need it."""
    from gb2260.data import data

    return frozenset(name for revision in data.values() for name in revision.values())
