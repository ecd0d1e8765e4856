"""Content duties: facts the report must state, in its tables or in words."""

from __future__ import annotations

import re

from checker.engine.checks import check, require
from checker.engine.context import Context
from checker.engine.finding import Hit

_CLAUSE = re.compile(r"[^，,。；;！!？?]+")


def _prepare(params: dict) -> dict:
    require(params, "topics")
    topics = []
    for topic in params["topics"]:
        require(topic, "name", "label", "subject")
        topics.append({**topic, "subject_re": re.compile(topic["subject"]),
                       "exclude_re": re.compile(topic["exclude"]) if topic.get("exclude") else None,
                       "stated_re": [re.compile(p) for p in topic.get("figure", []) + topic.get("nil", [])]})
    return {**params, "topics": topics}


@check("stated", _prepare)
def stated(ctx: Context, params: dict):
    """A count is stated: by its table cell in the new formats, or in a sentence that gives a
    figure or says plainly that there were none (clause by clause, so that
    "未收到申请，也未发生复议" answers both)."""
    units = ctx.texts()
    for topic in params["topics"]:
        cell = ctx.facts.cells.get(topic.get("table_key", ""))
        if cell is not None and cell.kind in ("number", "zero"):
            continue
        mention = None
        satisfied = False
        for unit in units:
            if not topic["subject_re"].search(unit.text):
                continue
            for sentence in _CLAUSE.finditer(unit.text):
                text = sentence.group(0)
                if not topic["subject_re"].search(text) or (topic["exclude_re"] and topic["exclude_re"].search(text)):
                    continue
                mention = mention or unit
                if any(p.search(text) for p in topic["stated_re"]):
                    satisfied = True
                    break
            if satisfied:
                break
        if satisfied:
            continue
        section = ctx.facts.sections.get(topic.get("section", ""))
        loc = mention.loc if mention else (section.loc if section else ctx.first_loc())
        yield Hit({"topic": topic["label"]}, loc, topic.get("section"), f"stated/{topic['name']}", topic["name"])
