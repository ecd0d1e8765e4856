"""Structure: the parse itself, the title, the six sections, the 2008 topics."""

from __future__ import annotations


from checker.ingest.document import compact
from checker.engine.registry import P, check, declare, pattern, require
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.parse.ast import Section
from checker.engine.wording import words as _words
from checker.vocab import ordinals, section_vocabulary


def _titles() -> dict[str, str]:
    return {w.ordinal: w.title for w in section_vocabulary()}


@check("parsed", params={}, reads="the parse (whether the grammar placed the structure)")
def parsed(ctx: Context, params: dict):
    """The grammar could place the report's structure."""
    if ctx.report.fallback:
        yield Hit({"detail": ctx.report.error or ""}, loc=ctx.first_loc(), key="parse")


@check("skipped-tables", params={}, reads="ingest's record of tables too large to read")
def skipped_tables(ctx: Context, params: dict):
    """Tables whose declared grid is larger than any report's were not read (ingest's cap)."""
    for loc, cells in ctx.doc.meta.get("skipped_tables", ()):
        yield Hit(
            {"cells": cells},
            loc=loc,
            section=None,
            anchor=f"input/table/{loc.line}",
            key=f"{loc.page}/{loc.line}/{loc.column}",
        )


def _prepare_kind(kinds: tuple[str, ...]):
    def prepare(params: dict) -> dict:
        if params.get("kind") not in kinds:
            words = _words("kinds")
            raise ValueError(words.say("unknown", kinds=words.listed(kinds)))
        return params

    return prepare


INPUT_KINDS = ("unreadable", "scanned", "limit")
GATE_KINDS = ("expired-waiver", "unused-waiver", "invalid-directive", "stale-baseline")


declare(
    "input",
    "tool",
    """Reported by the pipeline when a file cannot be read (`kind`: unreadable, scanned for a PDF
without text, limit for a reader stopped by its memory, time or size limit).""",
    _prepare_kind(INPUT_KINDS),
    params={
        "kind": P("str", "unreadable, scanned, or limit (a reader stopped by its memory, time or size limit)", True)
    },
    reads="nothing: the pipeline reports a file it could not read",
)
declare(
    "rule-failed",
    "tool",
    "Reported by the engine when another rule raised on this report.",
    reads="nothing: the engine reports a rule that raised",
)
declare(
    "gate",
    "tool",
    """Reported by the CI gate (`kind`: expired-waiver, unused-waiver, invalid-directive,
stale-baseline), not from a report's text.""",
    _prepare_kind(GATE_KINDS),
    params={"kind": P("str", "expired-waiver, unused-waiver, invalid-directive or stale-baseline", True)},
    reads="the gate's waivers and baseline (not the report)",
)


@check(
    "title-present",
    params={
        "words": P("list", "words the title must hold", default=[]),
        "incomplete_severity": P("str", "the severity when the title is there but incomplete"),
    },
    reads="the title (or the web page's own)",
)
def title_present(ctx: Context, params: dict):
    """The report has a title naming the year and the report."""
    title = ctx.report.title
    page_title = ctx.doc.meta.get("title")  # a web page's own title counts: the body need not repeat it
    if title is None and not page_title:
        yield Hit({}, loc=ctx.first_loc(), key="missing", variant="missing")
        return
    written = title.text if title else page_title
    text = compact(written)
    words = _words("title-present")
    missing = []
    if not words.re.year.search(text):
        missing.append(words.say("no_year"))
    for word in params["words"]:
        if word not in text:
            missing.append(words.say("word", word))
    if missing:
        yield Hit(
            {"title": written, "missing": words.listed(missing)},
            loc=title.loc if title else ctx.first_loc(),
            variant="incomplete",
            key="incomplete",
            severity=params.get("incomplete_severity"),
        )


def _prepare_sections(params: dict) -> dict:
    require(params, "sections")
    for ordinal in params["sections"]:
        if ordinal not in ordinals():
            raise ValueError(_words("sections").say("unknown", ordinal=ordinal))
    return params


@check(
    "section-present",
    _prepare_sections,
    params={"sections": P("sections", "the required sections", True)},
    reads="facts.sections",
)
def section_present(ctx: Context, params: dict):
    """Each required section is there, recognised by the meaning of its heading."""
    found = ctx.facts.sections
    titles = _titles()
    six = ordinals()
    for ordinal in params["sections"]:
        if ordinal in found:
            continue
        later = [found[o] for o in six[six.index(ordinal) + 1 :] if o in found]
        loc = later[0].loc if later else (ctx.report.sections[-1].loc if ctx.report.sections else ctx.first_loc())
        orphan = _headless(ctx, ordinal)
        if orphan is not None:  # the content is there: only the heading was lost
            yield Hit(
                {"ordinal": ordinal, "title": titles[ordinal], "start": orphan.ordinal + orphan.heading},
                loc=orphan.loc,
                section=ordinal,
                anchor=f"section/{ordinal}",
                key=ordinal,
                severity="warning",
                evidence=orphan.heading,
                variant="headless",
            )
            continue
        yield Hit(
            {"ordinal": ordinal, "title": titles[ordinal]},
            loc=loc,
            section=ordinal,
            anchor=f"section/{ordinal}",
            key=ordinal,
        )


def _headless(ctx: Context, ordinal: str) -> Section | None:
    """A sub-heading worded as the missing section, inside the section before it: the section
    is there without its own heading (extraction dropped "五、存在的主要问题及改进情况" and
    left "（一）2024年工作中存在问题的改进情况")."""
    six = ordinals()
    before = next((o for o in reversed(six[: six.index(ordinal)]) if o in ctx.facts.sections), None)
    if before is None:
        return None
    word = next(w for w in section_vocabulary() if w.ordinal == ordinal)
    for node in ctx.facts.sections[before].walk():
        if isinstance(node, Section) and any(k in compact(node.heading) for k in word.keywords):
            return node
    return None


def _prepare_order(params: dict) -> dict:
    return {**_prepare_sections(params), "subtopics_re": pattern(params["subtopics"])}


@check(
    "section-order",
    _prepare_order,
    params={
        "sections": P("sections", "the sections in their order", True),
        "subtopics": P("pattern", "sub-topics of 总体情况 that must not stand at the top level", default="(?!)"),
    },
    reads="facts.sections and facts.strays",
)
def section_order(ctx: Context, params: dict):
    """The sections stand in the official order and carry their own ordinal; no second
    numbering system mixes into the six (sub-topics promoted to top level, a restart at 一)."""
    found = ctx.facts.sections
    titles = _titles()
    words, six = _words("section-order"), ordinals()
    present = [(o, found[o]) for o in params["sections"] if o in found]
    offsets = {section.number - (six.index(o) + 1) for o, section in present}
    if len(present) >= 3 and len(offsets) == 1 and 0 not in offsets:
        first_ordinal, first = present[0]
        last = present[-1][1]
        yield Hit(
            {"first": first.ordinal, "last": last.ordinal},
            loc=first.loc,
            section=first_ordinal,
            anchor="sections",
            key="shift",
            variant="shift",
        )
    else:
        # one cause, one finding: the sections that follow one another misnumbered by the same
        # amount (a part inserted or skipped shifts every one after it) are one run
        runs: list[list] = []
        for ordinal, section in present:
            offset = section.number - (six.index(ordinal) + 1)
            if offset and runs and runs[-1][-1][2] == offset and six.index(runs[-1][-1][0]) + 1 == six.index(ordinal):
                runs[-1].append((ordinal, section, offset))
            elif offset:
                runs.append([(ordinal, section, offset)])
        for run in runs:
            (ordinal, section, _), (last_ordinal, last, _) = run[0], run[-1]
            where = words.say("section_titled", ordinal=ordinal, title=titles[ordinal])
            if len(run) == 1:
                yield Hit(
                    {"where": where, "written": section.ordinal, "ordinal": ordinal},
                    loc=section.loc,
                    section=ordinal,
                    anchor=f"section/{ordinal}",
                    key=f"number/{ordinal}",
                    variant="number",
                )
            else:
                yield Hit(
                    {
                        "where": words.say("section", ordinal),
                        "first": section.ordinal,
                        "last": last.ordinal,
                        "ordinal": ordinal,
                        "last_ordinal": last_ordinal,
                    },
                    loc=section.loc,
                    section=ordinal,
                    anchor=f"section/{ordinal}",
                    key=f"number/{ordinal}",
                    variant="run",
                )
        previous = None
        for ordinal, section in present:
            if section.number != six.index(ordinal) + 1:
                previous = section
                continue
            where = words.say("section_titled", ordinal=ordinal, title=titles[ordinal])
            if previous is not None and section.loc.line < previous.loc.line and section.loc.page == previous.loc.page:
                yield Hit(
                    {"where": where},
                    loc=section.loc,
                    section=ordinal,
                    anchor=f"section/{ordinal}",
                    key=f"order/{ordinal}",
                    variant="order",
                )
            previous = section
    subtopics = params["subtopics_re"]
    for ordinal, strays in ctx.facts.strays.items():
        section = found[ordinal]
        shown = words["strays_shown"]
        written = words.listed(words.say("heading", ordinal=s.ordinal, heading=s.heading) for s in strays[:shown])
        written = words.say("more", written) if len(strays) > shown else written
        where = words.say("section_titled", ordinal=ordinal, title=titles[ordinal])
        if ordinal == six[0] and any(subtopics.search(s.heading) for s in strays):
            variant, key = "promoted", "promoted"
        elif strays[0].number <= section.number:
            variant, key = "restart", f"restart/{ordinal}"
        else:
            continue  # an extra section after the six (附件, 附表) numbered on from them
        yield Hit(
            {"where": where, "written": written, "restart": strays[0].ordinal},
            loc=strays[0].loc,
            section=ordinal,
            anchor=f"section/{ordinal}",
            key=key,
            variant=variant,
        )


@check(
    "section-wording",
    _prepare_sections,
    params={"sections": P("sections", "the sections whose wording is compared", True)},
    reads="facts.sections",
)
def section_wording(ctx: Context, params: dict):
    """A section heading is worded as the official title (recognised by meaning, so a different
    wording is only a note)."""
    titles = _titles()
    accepted = {w.ordinal: {w.title, *w.statutory} for w in section_vocabulary()}
    for ordinal in params["sections"]:
        section = ctx.facts.sections.get(ordinal)
        if section is None:
            continue
        heading = _words("section-wording").re.trailing.sub("", compact(section.heading))
        if heading not in accepted[ordinal]:
            yield Hit(
                {"ordinal": ordinal, "heading": section.heading, "title": titles[ordinal]},
                loc=section.loc,
                section=ordinal,
                anchor=f"section/{ordinal}",
                key=ordinal,
            )


def _prepare_nonempty(params: dict) -> dict:
    params = _prepare_sections(params)
    for lenient in params["warning_only"].values():
        _prepare_sections({"sections": lenient})
    return params


@check(
    "section-nonempty",
    _prepare_nonempty,
    params={
        "sections": P("sections", "the sections that must not be empty", True),
        "warning_only": P(
            "dict",
            "regime → sections whose emptiness is only a warning there (the format asks nothing of them that can be missing)",
            default={},
        ),
    },
    reads="facts.sections and facts.strays",
)
def section_nonempty(ctx: Context, params: dict):
    """A section heading has something under it (its own children, or headings wrongly
    numbered at its level that follow it)."""
    titles = _titles()
    lenient = params["warning_only"].get(ctx.facts.regime) or ()
    for ordinal in params["sections"]:
        section = ctx.facts.sections.get(ordinal)
        if section is not None and not section.children and not ctx.facts.strays.get(ordinal):
            yield Hit(
                {"ordinal": ordinal, "title": titles[ordinal], "heading": section.ordinal + section.heading},
                loc=section.loc,
                section=ordinal,
                anchor=f"section/{ordinal}",
                key=ordinal,
                severity="warning" if ordinal in lenient else None,
            )


def _prepare_topics(params: dict) -> dict:
    require(params, "topics")
    topics = []
    for topic in params["topics"]:
        require(topic, "name", "label", "patterns")
        topics.append({**topic, "compiled": [pattern(p) for p in topic["patterns"]]})
    return {**params, "topics": topics}


@check(
    "topics-covered",
    _prepare_topics,
    params={"topics": P("list", "each: name, label, patterns, topic", True)},
    reads="the text of the whole report",
)
def topics_covered(ctx: Context, params: dict):
    """Each topic the regulation lists is covered somewhere in the report."""
    texts = [unit.text for unit in ctx.texts()]
    for topic in params["topics"]:
        if not any(p.search(text) for p in topic["compiled"] for text in texts):
            yield Hit(
                {"topic": topic["label"]},
                loc=ctx.first_loc(),
                section=None,
                anchor=f"topic/{topic['name']}",
                key=topic["name"],
                topic=topic.get("topic", topic["name"]),
            )
