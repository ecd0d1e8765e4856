"""Content duties: facts the report must state, in its tables or in words."""

from __future__ import annotations


from checker.engine.registry import CLAUSE, P, check, context_free, pattern, phrasings, require
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.engine.wording import words as _words
from checker.facts.prose import about_outcome, mask_long_numbers, plain, plain_within_clauses
from checker.patterns import within_lines


def _prepare(params: dict) -> dict:
    require(params, "topics")
    topics = []
    for topic in params["topics"]:
        require(topic, "name", "label", "subject")
        topics.append(
            {
                **topic,
                "subject_re": pattern(topic["subject"]),
                "exclude_re": pattern(topic["exclude"]) if topic.get("exclude") else None,
                "stated_re": [pattern(p) for p in topic.get("figure", []) + topic.get("nil", [])],
            }
        )
    return {**params, "topics": topics}


@check(
    "stated",
    _prepare,
    params={
        "topics": P(
            "list", "each: name, label, subject, figure, nil, exclude (patterns), section, table_key, topic", True
        )
    },
    reads="facts.cells and the text, clause by clause",
)
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
            for sentence in CLAUSE.finditer(mask_long_numbers(unit.text)):
                text = sentence.group(0)
                if not topic["subject_re"].search(text) or (topic["exclude_re"] and topic["exclude_re"].search(text)):
                    continue
                mention = mention or unit
                if any(
                    m and not about_outcome(variant, m.start(), m.end())
                    for variant in (text, plain(text))
                    for p in topic["stated_re"]
                    for m in [p.search(variant)]
                ):
                    satisfied = True  # as written, or without the inserted words (本机关, 任何 …)
                    break
            if satisfied:
                break
        if satisfied:
            continue
        section = ctx.facts.sections.get(topic.get("section", ""))
        loc = mention.loc if mention else (section.loc if section else ctx.first_loc())
        # worded for the report's own format: a table's section from 2019, the counts in words before
        yield Hit(
            {"topic": topic["label"], "ordinal": topic.get("section") or ""},
            loc=loc,
            section=topic.get("section"),
            anchor=f"stated/{topic['name']}",
            key=topic["name"],
            topic=topic.get("topic", topic["name"]),
            variant="free_form" if ctx.facts.regime == "regulation-2008" else "format",
        )


def _prepare_covers(params: dict) -> dict:
    require(params, "topics")
    topics = []
    for topic in params["topics"]:
        require(topic, "name", "label", "patterns")
        topics.append(
            {
                **topic,
                "compiled": phrasings(topic["patterns"]),
                "results_re": phrasings(topic["results"]) if topic.get("results") else None,
            }
        )
    return {**params, "topics": topics}


@check(
    "section-covers",
    _prepare_covers,
    params={
        "topics": P(
            "list",
            "each: name, label, patterns (the topic is spoken of), results (optional: what it came to is stated)",
            True,
        ),
        "section": P("str", "the section (一…六); without it the whole report"),
    },
    reads="the text of a section (or all)",
)
def section_covers(ctx: Context, params: dict):
    """The named section (or, without `section`, the whole report) speaks of each topic, and
    where a topic declares `results`, states what it came to. A report that speaks of none of the
    topics gets the rule's severity (variant none where the rule words it); one that speaks of
    some, or of all without their results, a warning that names them (variant partial)."""
    ordinal = params.get("section")
    if ordinal and ordinal not in ctx.facts.sections:
        return  # S101 reports the missing section
    units = [u for u in ctx.texts() if not ordinal or u.section == ordinal]
    loc = ctx.facts.sections[ordinal].loc if ordinal else ctx.first_loc()
    # one search where a topic cannot span two paragraphs (the whole report's text is joined once)
    joined = "\n".join([u.text for u in units]) if ordinal else ctx.joined()

    def found(compiled) -> bool:
        return bool(compiled.search(joined) if within_lines(compiled) else any(compiled.search(u.text) for u in units))

    mentioned = [t for t in params["topics"] if found(t["compiled"])]
    lacking = [
        t
        for t in params["topics"]
        if t not in mentioned or (t["results_re"] is not None and not found(t["results_re"]))
    ]
    if not lacking:
        return
    # one finding names every topic left out (or left without its result): one omission, one line
    graded = any(t["results_re"] is not None for t in params["topics"])
    variant = ("none" if not mentioned else "partial") if graded else None
    yield Hit(
        {
            "topic": "、".join(t["label"] for t in lacking),
            "ordinal": ordinal or "",
            "mentioned": "、".join(t["label"] for t in lacking if t in mentioned),
        },
        loc=loc,
        section=ordinal,
        anchor=f"topic/{'+'.join(t['name'] for t in lacking)}",
        key="topics",
        severity="warning" if variant == "partial" else None,
        variant=variant,
    )


def _prepare_substantive(params: dict) -> dict:
    require(params, "section", "problems", "measures")
    return {
        **params,
        "problems_re": pattern(params["problems"]),
        "measures_re": pattern(params["measures"]),
        "stock_re": pattern(params["stock"]),
    }


@check(
    "substantive",
    _prepare_substantive,
    params={
        "section": P("str", "the section (一…六)", True),
        "problems": P("pattern", "words that name a concrete problem", True),
        "measures": P("pattern", "words that name a concrete measure", True),
        "stock": P("pattern", "stock phrases that do not count", default="(?!)"),
        "min_chars": P("number", "fewer characters than this is empty", default=30),
    },
    reads="the text of one section",
)
def substantive(ctx: Context, params: dict):
    """The section names concrete problems and concrete measures, not "无" or stock phrases only."""
    section = ctx.facts.sections.get(params["section"])
    if section is None:
        return
    heading = section.ordinal + section.heading
    units = [u for u in ctx.texts() if u.section == params["section"] and u.text != heading]
    body = "".join(u.text for u in units)
    words = _words("substantive")
    plain = words.re.filler.sub("", params["stock_re"].sub("", body))
    where = words.say("where", ordinal=params["section"], heading=section.ordinal + section.heading)
    if len(plain) < params["min_chars"]:
        yield Hit(
            {"where": where, "written": body.strip()[:30] or words.say("empty")},
            loc=section.loc,
            section=params["section"],
            anchor=f"section/{params['section']}",
            key="empty",
            variant="empty",
        )
        return
    for name in ("problems", "measures"):
        if not params[f"{name}_re"].search(body):
            yield Hit(
                {"where": where},
                loc=section.loc,
                section=params["section"],
                anchor=f"section/{params['section']}",
                key=name,
                variant=f"no_{name}",
            )


def _prepare_fee(params: dict) -> dict:
    require(params, "subject", "stated")
    subject = phrasings(params["subject"])
    return {
        **params,
        "subject_re": subject,
        "stated_re": phrasings(params["stated"]),
        "subject_free": context_free(subject) and plain_within_clauses(),
    }


@check(
    "fee-stated",
    _prepare_fee,
    params={
        "subject": P("patterns", "what names the fee", True),
        "stated": P("patterns", "an amount or a nil statement", True),
        "section": P("str", "where the fee belongs (for the location when absent)"),
    },
    reads="the text, clause by clause",
)
def fee_stated(ctx: Context, params: dict):
    """A sentence names the fee and gives an amount or says none was charged (clause by clause:
    the 行政事业性收费 of table 二 is another thing and never counts)."""
    mention = None
    subject = params["subject_re"]
    units = ctx.texts()
    if params.get("subject_free"):
        # the lines before the first that can name the fee name none: one search of the joined
        # text finds where to start (its filler-free form is shorter, so the place it gives is
        # at or before that line: a safe start)
        joined = mask_long_numbers(ctx.joined())
        found = [m.start() for m in (subject.search(joined), subject.search(plain(joined))) if m]
        units = units[ctx.unit_at(min(found)) :] if found else []
    for unit in units:
        text = mask_long_numbers(unit.text)
        if params.get("subject_free") and not subject.search(text):
            stripped = plain(text)  # (the text itself, the same object, when it has no filler word)
            if stripped is text or not subject.search(stripped):
                continue  # most lines name no fee: no clause of theirs can
        for clause in CLAUSE.finditer(text):
            for form in (clause.group(0), plain(clause.group(0))):  # "信息公开处理费" is the 信息处理费
                if subject.search(form):
                    mention = mention or unit
                    if params["stated_re"].search(form):
                        return
    section = ctx.facts.sections.get(params.get("section", ""))
    loc = mention.loc if mention else (section.loc if section else ctx.first_loc())
    yield Hit(
        {},
        loc=loc,
        section=params.get("section"),
        anchor="fees/processing",
        key="fee",
        variant="vague" if mention else "absent",
    )
