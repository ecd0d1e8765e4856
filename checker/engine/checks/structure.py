"""Structure: the parse itself, the title, the six sections, the 2008 topics."""

from __future__ import annotations

import re

from checker.engine.checks import check, require
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.facts.layouts import section_vocabulary

_CN = "一二三四五六"


def _titles() -> dict[str, str]:
    return {w.ordinal: w.title for w in section_vocabulary()}


@check("parsed")
def parsed(ctx: Context, params: dict):
    """The grammar could place the report's structure."""
    if ctx.report.fallback:
        yield Hit({"detail": ctx.report.error or ""}, ctx.first_loc(), key="parse")


@check("input")
def input_error(ctx: Context, params: dict):
    """Reported by the pipeline when a file cannot be read; never fires on a parsed report."""
    return ()


@check("title-present")
def title_present(ctx: Context, params: dict):
    """The report has a title naming the year and the report."""
    title = ctx.report.title
    if title is None:
        yield Hit({"detail": "报告没有标题"}, ctx.first_loc(), key="missing")
        return
    text = re.sub(r"\s+", "", title.text)
    missing = []
    if not re.search(r"\d{4}年", text):
        missing.append("年度")
    for word in params.get("words", []):
        if word not in text:
            missing.append(f"“{word}”")
    if missing:
        yield Hit({"detail": f"标题「{title.text}」未写明{'、'.join(missing)}"}, title.loc,
                  key="incomplete", severity=params.get("incomplete_severity"))


def _prepare_sections(params: dict) -> dict:
    require(params, "sections")
    for ordinal in params["sections"]:
        if ordinal not in _CN:
            raise ValueError(f"sections 中的「{ordinal}」不是 一 至 六")
    return params


@check("section-present", _prepare_sections)
def section_present(ctx: Context, params: dict):
    """Each required section is there, recognised by the meaning of its heading."""
    found = ctx.facts.sections
    titles = _titles()
    for ordinal in params["sections"]:
        if ordinal in found:
            continue
        later = [found[o] for o in _CN[_CN.index(ordinal) + 1:] if o in found]
        loc = later[0].loc if later else (ctx.report.sections[-1].loc if ctx.report.sections else ctx.first_loc())
        yield Hit({"ordinal": ordinal, "title": titles[ordinal]}, loc, ordinal, f"section/{ordinal}", ordinal)


@check("section-order", _prepare_sections)
def section_order(ctx: Context, params: dict):
    """The sections stand in the official order and carry their own ordinal."""
    found = ctx.facts.sections
    titles = _titles()
    previous = None
    for ordinal in params["sections"]:
        section = found.get(ordinal)
        if section is None:
            continue
        expected = _CN.index(ordinal) + 1
        if section.number != expected:
            yield Hit({"ordinal": ordinal, "title": titles[ordinal], "written": section.ordinal,
                       "detail": f"编号为「{section.ordinal}」，应为「{ordinal}、」"},
                      section.loc, ordinal, f"section/{ordinal}", f"number/{ordinal}")
        elif previous is not None and section.loc.line < previous.loc.line and section.loc.page == previous.loc.page:
            yield Hit({"ordinal": ordinal, "title": titles[ordinal], "written": section.ordinal,
                       "detail": "位置在前一部分之前"}, section.loc, ordinal, f"section/{ordinal}", f"order/{ordinal}")
        previous = section


@check("section-nonempty", _prepare_sections)
def section_nonempty(ctx: Context, params: dict):
    """A section heading has something under it."""
    titles = _titles()
    for ordinal in params["sections"]:
        section = ctx.facts.sections.get(ordinal)
        if section is not None and not section.children:
            yield Hit({"ordinal": ordinal, "title": titles[ordinal], "heading": section.ordinal + section.heading},
                      section.loc, ordinal, f"section/{ordinal}", ordinal)


def _prepare_topics(params: dict) -> dict:
    require(params, "topics")
    topics = []
    for topic in params["topics"]:
        require(topic, "name", "label", "patterns")
        topics.append({**topic, "compiled": [re.compile(p) for p in topic["patterns"]]})
    return {**params, "topics": topics}


@check("topics-covered", _prepare_topics)
def topics_covered(ctx: Context, params: dict):
    """Each topic the regulation lists is covered somewhere in the report."""
    texts = [unit.text for unit in ctx.texts()]
    for topic in params["topics"]:
        if not any(p.search(text) for p in topic["compiled"] for text in texts):
            yield Hit({"topic": topic["label"]}, ctx.first_loc(), None, f"topic/{topic['name']}", topic["name"])
