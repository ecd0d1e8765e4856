"""`xxgk parse`: the AST as an indented tree, or as JSON together with the facts."""

from __future__ import annotations

from checker.parse.ast import Paragraph, Section, Table


def _loc(loc) -> str:
    if loc.unit == "page":
        return f"p{loc.page}:{loc.line}"
    if loc.unit == "paragraph":
        return f"¶{loc.line}"
    return f"{loc.line}:{loc.column}"


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[:width] + "…"


def as_tree(report, facts) -> str:
    out = ["Report" + ("  (结构无法解析，按平铺段落处理)" if report.fallback else "")]
    if report.title:
        out.append(f"  Title {_loc(report.title.loc)} 「{report.title.text}」")
    if report.addressee:
        out.append(f"  Addressee 「{report.addressee}」")
    for dateline in report.dates:
        out.append(f"  Dateline {_loc(dateline.loc)} {dateline.signature or ''} {dateline.text}")

    def node(item, depth):
        pad = "  " * depth
        if isinstance(item, Section):
            canonical = facts.sections and next((o for o, s in facts.sections.items() if s is item), None)
            tag = f"  ⇒ 第{canonical}部分" if canonical else ""
            out.append(f"{pad}Section[{item.level}] {_loc(item.loc)} {item.ordinal}{item.heading}{tag}")
            for child in item.children:
                node(child, depth + 1)
        elif isinstance(item, Table):
            width = max((len(r) for r in item.rows), default=0)
            out.append(f"{pad}Table {_loc(item.loc)} {len(item.rows)}×{width}")
        elif isinstance(item, Paragraph):
            marker = f"[{item.marker}] " if item.marker else ""
            out.append(f"{pad}Paragraph {_loc(item.loc)} {marker}{_short(item.text)}")

    for item in report.lead:
        node(item, 1)
    for section in report.sections:
        node(section, 1)
    if report.closing:
        out.append(f"  Closing {_loc(report.closing.loc)} {report.closing.signature or ''} {report.closing.text}")
    out.append("Facts")
    out.append(
        f"  year {facts.year} ({facts.year_source}); agency {facts.agency} ({facts.agency_kind}); "
        f"regime {facts.regime}; published {facts.published} ({facts.published_source})"
    )
    out.append(f"  sections {' '.join(facts.sections) or '-'}; table cells {len(facts.cells)}")
    return "\n".join(out) + "\n"


def _loc_json(loc) -> dict:
    out = {"line": loc.line, "column": loc.column}
    if loc.page:
        out["page"] = loc.page
    if loc.unit != "line":
        out["unit"] = loc.unit
    return out


def _node_json(item) -> dict:
    if isinstance(item, Section):
        return {
            "type": "section",
            "level": item.level,
            "ordinal": item.ordinal,
            "number": item.number,
            "heading": item.heading,
            **_loc_json(item.loc),
            "children": [_node_json(c) for c in item.children],
        }
    if isinstance(item, Table):
        return {
            "type": "table",
            **_loc_json(item.loc),
            "rows": [[cell.text for cell in row] for row in item.distinct_rows()],
        }
    return {"type": "paragraph", "text": item.text, "marker": item.marker, **_loc_json(item.loc)}


def as_json(report, facts, doc) -> dict:
    return {
        "schema": "xxgk-ast/1",
        "path": doc.path,
        "format": doc.format,
        "encoding": doc.encoding,
        "ast": {
            "title": report.title.text if report.title else None,
            "addressee": report.addressee,
            "fallback": report.fallback,
            "lead": [_node_json(n) for n in report.lead],
            "sections": [_node_json(s) for s in report.sections],
            "closing": (
                {"signature": report.closing.signature, "date": report.closing.text, **_loc_json(report.closing.loc)}
                if report.closing
                else None
            ),
        },
        "facts": {
            "year": facts.year,
            "year_source": facts.year_source,
            "agency": facts.agency,
            "agency_kind": facts.agency_kind,
            "regime": facts.regime,
            "published": facts.published.isoformat() if facts.published else None,
            "published_source": facts.published_source,
            "sections": {o: {"heading": s.ordinal + s.heading, **_loc_json(s.loc)} for o, s in facts.sections.items()},
            "cells": {
                k: {"kind": c.kind, "value": c.value, "text": c.text, "label": c.label, **_loc_json(c.loc)}
                for k, c in facts.cells.items()
            },
        },
        "changes": [
            {"kind": c.kind, "original": c.original, "replacement": c.replacement, **_loc_json(c.loc)}
            for c in doc.changes
        ],
    }
