"""Consistency: the prose against the tables, the years against each other, one statement
against another."""

from __future__ import annotations

import re

from checker.engine.registry import CLAUSE, P, check, declare, fmt_number, pattern, phrasings
from checker.engine.context import Context
from checker.engine.finding import Hit
from checker.engine.wording import words as _words
from checker.facts.key_figures import key_figures, percent_bases
from checker.facts.prose import figure_vocabulary, part_actors, plain
from checker.facts.report_meta import YEAR


def cell_anchor(key: str) -> str:
    """A cell key as a finding's anchor: table/row/column (a row key keeps its dots)."""
    table, rest = key.split(".", 1)
    row, column = rest.replace(".*", "").rsplit(".", 1)
    return f"{table}/{row}/{column}"


def _percent_ok(stated: float, written: str, part: int, bases: list[int]) -> bool:
    """A percentage agrees with part/base for some plausible base, at the precision written."""
    digits = re.search(r"\.(\d+)", written)
    decimals = len(digits.group(1)) if digits else 0
    tolerance = 10**-decimals + 1e-9  # reports round or truncate: 35/805 is written 4.35% or 4.34%
    return any(base and abs(part * 100 / base - stated) <= tolerance for base in bases)


def _said_by_a_part(figure, agency: str | None) -> bool:
    """ "区政府办代表区政府受理…17件": the clause names part of the agency before the figure (not
    the agency itself: "本办受理…" in the 县政府办公室's own report)."""
    before = (
        figure.text[: figure.text.find(figure.phrase)]
        if figure.phrase and figure.phrase in figure.text
        else figure.text
    )
    actor = part_actors().search(before)
    return actor is not None and actor.group(0) not in (agency or "")


@check("prose-vs-table", params={}, reads="facts.figures and facts.cells")
def prose_vs_table(ctx: Context, params: dict):
    """Figures stated in words equal the table cells they describe; a percentage equals the
    figure over a total the table gives."""
    facts = ctx.facts
    if facts.layout is None:
        return
    words = _words("prose-vs-table")
    topics = {t.name: t for t in figure_vocabulary()[1]}
    bases = []
    for keys in percent_bases():
        exact, _ = facts.table_value(list(keys))
        if exact:
            bases.append(exact)
    reported: set = set()  # one finding per pair of figures (the words' and the table's)
    for figure in facts.figures:
        topic = topics[figure.topic]
        keys = topic.cell_for(facts.regime)
        if not keys or not all(k.split(".", 1)[0] in facts.tables for k in keys):
            continue  # the table is missing: T201 says so
        exact, low = facts.table_value(keys)
        anchor = cell_anchor(keys[0])
        said = fmt_number(figure.value)
        spec = facts.layout.tables.get(keys[0].split(".", 1)[0])
        where = words.say("table_of_section", spec.section) if spec is not None else words.say("table")
        if any(facts.table_value(list(alt))[0] == figure.value for alt in topic.also):
            table = None  # the words count another sum the table gives (新收 + 上年结转)
        elif exact is not None and exact != figure.value:
            table = words.say("table_value", where=where, label=topic.label, value=fmt_number(exact))
        elif exact is None and figure.value < low:
            table = words.say("table_at_least", where=where, label=topic.label, value=fmt_number(low))
        else:
            table = None
        pair = (figure.topic, figure.value, exact if exact is not None else f">={low}")
        if table:
            if pair not in reported:
                reported.add(pair)
                part = not figure.nil and _said_by_a_part(figure, facts.agency)
                yield Hit(
                    {"topic": topic.label, "said": said, "text": figure.text[:60], "table": table},
                    loc=figure.loc,
                    section=figure.section,
                    anchor=anchor,
                    key=f"{figure.topic}/{figure.value}",
                    topic=f"figure/{figure.topic}",
                    evidence=figure.phrase or None,
                    variant="nil" if figure.nil else "part" if part else None,
                    severity="warning" if part else None,
                )
            continue  # a wrong figure makes its percentage wrong too: one finding says both
        if (
            figure.percent is not None
            and bases
            and not _percent_ok(figure.percent, figure.percent_text, figure.value, bases)
        ):
            pair = (figure.topic, figure.value, figure.percent)
            if pair not in reported:
                reported.add(pair)
                yield Hit(
                    {
                        "topic": topic.label,
                        "said": figure.percent_text,
                        "text": figure.text[:60],
                        "value": said,
                        "table": words.say("percent_of", value=said, bases=words.listed(map(fmt_number, bases))),
                    },
                    loc=figure.loc,
                    section=figure.section,
                    anchor=anchor,
                    key=f"{figure.topic}/{figure.value}/percent",
                    topic=f"figure/{figure.topic}",
                    evidence=figure.phrase or None,
                    variant="percent",
                )


def _reviewing(units, sections) -> set[int]:
    """The ids of the units in the part of these sections that reviews last year's problems
    ("（一）上年度问题的改进情况", up to the next sub-heading)."""
    patterns = _words("year-consistent").re
    inside, found = False, set()
    for unit in units:
        if unit.section not in sections:
            inside = False
            continue
        if patterns.subhead.match(unit.text):  # a numbered sub-heading (or a paragraph opening with one) starts a part
            inside = bool(patterns.review_head.search(unit.text[:40]))
        elif len(unit.text) <= 30 and patterns.review_head.search(unit.text):  # an unnumbered heading line
            inside = True
        if inside:
            found.add(id(unit))
    return found


@check(
    "year-consistent",
    params={
        "aspects": P(
            "list",
            "what to check: period (统计期限 against the title), opening (总体情况's first year), plan (a plan dated in the reporting year); default all",
            default=["period", "opening", "plan"],
        ),
        "opening_sections": P("sections", "sections whose opening year is checked", default=["一"]),
        "future_sections": P("sections", "sections where a plan dated in the reporting year is a slip", default=["五"]),
    },
    reads="the title, the text, facts.year",
)
def year_consistent(ctx: Context, params: dict):
    """The reporting year in the title, the statistical period and the body agree. Message
    variants: period_year, period_span, opening_year, plan_year."""
    facts = ctx.facts
    year = facts.year
    if year is None:
        return
    words = _words("year-consistent")
    marks, patterns = words["marks"], words.re
    title = ctx.report.title.text if ctx.report.title else ctx.doc.meta.get("title")
    title_years = [int(y) for y in YEAR.findall(title or "")]
    aspects = params["aspects"]
    dated = [unit for unit in ctx.texts() if marks["dated"] in unit.text]  # both patterns need a year
    for unit in dated if "period" in aspects and ctx.searched(patterns.period) else ():
        for match in patterns.period.finditer(unit.text):
            start_year = int(match.group(1))
            end_year = int(match.group(4)) if match.group(4) else start_year
            if title_years and start_year not in title_years:
                yield Hit(
                    {"period_year": start_year, "title_year": title_years[0]},
                    loc=unit.loc_at(match.start()),
                    section=unit.section,
                    anchor="period",
                    key="period/title",
                    evidence=match.group(0),
                    variant="period_year",
                )
            elif (int(match.group(2)), int(match.group(3)), int(match.group(5)), int(match.group(6))) != (
                1,
                1,
                12,
                31,
            ) or end_year != start_year:
                yield Hit(
                    {"period": match.group(0)[-40:]},
                    loc=unit.loc_at(match.start()),
                    section=unit.section,
                    anchor="period",
                    key="period/span",
                    evidence=match.group(0),
                    variant="period_span",
                )
    opening = params["opening_sections"]
    for unit in ctx.texts() if "opening" in aspects else ():
        match = patterns.opening.match(unit.text) if unit.section in opening else None
        if match:  # the first line of the section that opens with a year: the only one read
            written = int(match.group(1))
            if written != year:
                yield Hit(
                    {"written": match.group(0).strip(marks["trim"]), "year": year},
                    loc=unit.loc_at(match.start(1)),
                    section=unit.section,
                    anchor="body/opening",
                    key="opening",
                    evidence=match.group(0).strip(marks["trim"]),
                    variant="opening_year",
                )
            break
    planning = params["future_sections"]
    plans = "plan" in aspects and ctx.searched(patterns.future)
    reviewing = _reviewing(ctx.texts(), planning) if plans else set()
    for unit in dated if plans else ():
        if id(unit) in reviewing:
            continue  # "2024年，我县将…纳入": last year's problems and what was done about them
        in_plans = unit.section in planning
        for match in patterns.future.finditer(unit.text):
            sentence = unit.text[match.end() :].split(marks["sentence_end"], 1)[0]
            if match.group(0).endswith(marks["ba"]) and patterns.ba.match(sentence):
                continue  # 将 as 把: what was done, not a plan
            if int(match.group(1)) == year and (in_plans or patterns.plan.search(sentence)):
                yield Hit(
                    {"written": match.group(0), "year": year, "next_year": year + 1},
                    loc=unit.loc_at(match.start()),
                    section=unit.section,
                    anchor="body/plan",
                    key=f"plan/{match.group(0)}",
                    evidence=match.group(0),
                    variant="plan_year",
                )


@check("prose-contradiction", params={}, reads="facts.figures (nil statements and figures)")
def prose_contradiction(ctx: Context, params: dict):
    """A statement that there were none contradicts a figure above zero stated elsewhere."""
    topics = {t.name: t for t in figure_vocabulary()[1]}
    by_topic: dict[str, list] = {}
    for figure in ctx.facts.figures:
        by_topic.setdefault(figure.topic, []).append(figure)
    for name, figures in by_topic.items():
        positive = next((f for f in figures if not f.nil and f.value > 0), None)
        nils = [f for f in figures if f.nil]
        if positive is None or not nils:
            continue
        for index, nil in enumerate(nils):
            yield Hit(
                {"topic": topics[name].label, "nil": nil.text[:60], "figure": positive.text[:60]},
                loc=nil.loc,
                section=nil.section,
                anchor=f"prose/{name}",
                key=f"{name}/{index}",
                evidence=nil.phrase or None,
            )


def _cells(params: dict) -> list[str]:
    return [params["cell"]] if isinstance(params["cell"], str) else list(params["cell"])


def _cell_total(ctx: Context, keys: list[str]):
    """The sum of the cells (None unless each is a number) and the cell a finding about the sum
    points at: the first that is above zero, else the first the report gives."""
    facts = ctx.facts
    total, _ = facts.table_value(keys)
    given = [facts.cells[t] for key in keys for t in facts._terms(key) if t in facts.cells]
    return total, next((c for c in given if c.kind == "number" and c.value), given[0] if given else None)


def _sentence_to(text: str, end: int) -> str:
    """The sentence up to offset `end`: a clause's subject may stand in an earlier clause of its
    sentence ("被提起行政诉讼1件，未被纠错"), never in a later one."""
    ends = _words("statement-vs-cell")["marks"]["sentence_ends"]
    return text[max(text.rfind(mark, 0, end) for mark in ends) + 1 : end]


def _prepare_statement_cell(params: dict) -> dict:
    return {
        **params,
        "statement_re": phrasings(params["statement"]),
        "unless_re": phrasings(params["unless"]) if params.get("unless") else None,
    }


@check(
    "statement-vs-cell",
    _prepare_statement_cell,
    params={
        "statement": P("patterns", "what the sentence says (a pattern or a list of phrasings)", True),
        "cell": P("cells", "a cell key (e.g. requests.new.total) or a list of them, read as their sum", True),
        "above": P("number", "the bound the cell must exceed (default 0)", default=0),
        "at_most": P("number", "instead of above: the sentence needs explaining when the cell is at most this"),
        "unless": P(
            "patterns", "a clause whose sentence, up to it, holds this is about something else and is not read"
        ),
    },
    reads="the text, clause by clause, and facts.cells",
)
def statement_vs_cell(ctx: Context, params: dict):
    """A sentence says something (matched by `statement`, as written or with the inserted words
    dropped) while the table cell `cell` (or the sum of the cells) is above `above` (or, with
    `at_most`, at most that): the two need explaining together. A clause whose sentence, up to
    it, `unless` matches is about something else."""
    total, cell = _cell_total(ctx, _cells(params))
    if total is None or cell is None:
        return
    if total > params["at_most"] if params.get("at_most") is not None else total <= params["above"]:
        return
    unless = params["unless_re"]
    for unit in ctx.texts():
        for clause in CLAUSE.finditer(unit.text):
            text = clause.group(0)
            if unless is not None and unless.search(_sentence_to(unit.text, clause.end())):
                continue
            found = params["statement_re"].search(text)  # as written, so the spot is exact …
            if found or params["statement_re"].search(plain(text)):  # … or with the inserted words dropped
                spot = unit.loc_at(clause.start() + (found.start() if found else 0))
                yield Hit(
                    {"said": text.strip()[:60], "value": fmt_number(total), "row": cell.label.strip()[:40]},
                    loc=spot,
                    section=unit.section,
                    anchor=cell.anchor,
                    key="+".join(_cells(params)),
                    evidence=(found.group(0) if found else None),
                )
                return


def _prepare_figure_in_cell(params: dict) -> dict:
    compiled = pattern(params["statement"])
    words = _words("figure-in-cell")
    if "n" not in compiled.groupindex:
        raise ValueError(words.say("group_n"))
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in params["units"].values()):
        raise ValueError(words.say("units"))
    return {**params, "statement_re": compiled}


@check(
    "figure-in-cell",
    _prepare_figure_in_cell,
    params={
        "statement": P("pattern", "a figure stated: group n the amount, group unit its unit (optional)", True),
        "cell": P("cells", "the cell (or cells, their sum) the figure must not be", True),
        "units": P("dict", "unit as written → what one of it is in the cell's unit (元 → 万元: 0.0001)", default={}),
        "above": P("number", "only a cell above this is compared", default=0),
    },
    reads="the text, and facts.cells",
)
def figure_in_cell(ctx: Context, params: dict):
    """A figure the words give for one thing equals, in the cell's unit, a cell that holds
    another (the 信息处理费 of section 六 written into table 二's 行政事业性收费): the figure was
    put in the wrong place."""
    total, cell = _cell_total(ctx, _cells(params))
    if total is None or cell is None or total <= params["above"]:
        return
    units = params["units"]
    for unit in ctx.searched(params["statement_re"]):
        for match in params["statement_re"].finditer(unit.text):
            written = match.groupdict().get("unit") or ""
            factor = units.get(written, 1) if units else 1
            if abs(float(match.group("n")) * factor - total) > 1e-9 * max(1.0, abs(total)):
                continue
            yield Hit(
                {"said": match.group(0), "value": fmt_number(total), "row": cell.label.strip()[:40]},
                loc=unit.loc_at(match.start()),
                section=unit.section,
                anchor=cell.anchor,
                key="+".join(_cells(params)),
                evidence=match.group(0),
            )
            return


def _prepare_explained(params: dict) -> dict:
    return {**params, "mention_re": phrasings(params["mention"])}


@check(
    "cell-explained",
    _prepare_explained,
    params={
        "cell": P("cells", "a cell key or a list of them, read as their sum", True),
        "mention": P("patterns", "words that speak of it (a pattern or a list of phrasings)", True),
        "above": P("number", "the figure needs words when it is above this", default=0),
        "whole": P("cells", "with share: the figure needs words when above this share of the whole"),
        "share": P("number", "with whole: the share (0–1) of the whole above which the figure needs words"),
        "sections": P("sections", "where the words must stand; default anywhere in the report"),
    },
    reads="facts.cells and the text of the sections",
)
def cell_explained(ctx: Context, params: dict):
    """A table figure that a reader cannot understand without words (结果纠正 above zero, an
    unexplained 其他, most requests refused) and no sentence in `sections` that speaks of it."""
    total, cell = _cell_total(ctx, _cells(params))
    if total is None or cell is None or total <= params["above"]:
        return
    if params.get("whole") is not None and params.get("share") is not None:
        whole, _ = ctx.facts.table_value(_cells({"cell": params["whole"]}))
        if not whole or total <= params["share"] * whole:
            return
    sections = params.get("sections")
    mention = params["mention_re"]
    for unit in ctx.texts():
        if (sections is None or unit.section in sections) and (
            mention.search(unit.text) or mention.search(plain(unit.text))
        ):
            return
    yield Hit(
        {"value": fmt_number(total), "row": cell.label.strip()[:40]},
        loc=cell.loc,
        section=ctx.facts.layout.tables[cell.table].section if ctx.facts.layout else None,
        anchor=cell.anchor,
        key="+".join(_cells(params)),
        evidence=cell.text.strip() or None,
    )


declare(
    "carry-over",
    "batch",
    """This year's 上年结转 against last year's 结转下年度 of the same agency, per column.""",
    reads="facts.cells of this and last year's reports (requests.carried_over, requests.carried_forward), agency_key, year",
)
declare(
    "stock-flow",
    "batch",
    "现行有效件数 against last year's plus 本年制发 minus 本年废止.",
    reads="facts.cells of this and last year's reports (active.*.in_force, issued, repealed)",
)
declare(
    "year-jump",
    "batch",
    """A key figure that jumps between an agency's consecutive years (this ÷ last above `ratio`
or below its inverse, with at least `min` either year).""",
    options=("figures", "ratio", "min"),
    params={
        "figures": P("list", "the key figures compared: new (本年新收), review (行政复议)", True),
        "ratio": P("number", "this year ÷ last year above it, or below its inverse, is a jump", default=5),
        "min": P("number", "requests either year at least this many (small numbers jump by chance)", default=30),
    },
    reads="facts.cells of this and last year's reports (requests.new.total, appeals.review.total)",
)
declare(
    "roster-missing",
    "batch",
    "An agency of the audit's roster with no report for the audited year.",
    reads="the roster given to xxgk audit --roster and the batch's agencies and years",
)

AGGREGATED_DEFAULT = ["new", "completed", "review", "litigation"]


def _prepare_aggregate(params: dict) -> dict:
    unknown = [name for name in params["figures"] if name not in key_figures()]
    if unknown:
        words = _words("roster-aggregate")
        raise ValueError(words.say("unknown_figures", unknown=words.listed(unknown), known=words.listed(key_figures())))
    return params


declare(
    "roster-aggregate",
    "batch",
    """A report the audit's roster declares sums up its children's (column aggregates) whose
totals differ from the sum of their reports of that year.""",
    _prepare_aggregate,
    options=("figures",),
    params={
        "figures": P(
            "list",
            "the totals compared: new (本年新收), completed (办理结果总计), review (行政复议), litigation (行政诉讼); default all",
            default=AGGREGATED_DEFAULT,
        )
    },
    reads="the roster's aggregates and parent columns and the key figures of the batch's reports",
)
declare(
    "similar-text",
    "batch",
    """雷同: a section copied from last year's report or from another agency's (`sections`,
`threshold`).""",
    options=("sections", "threshold"),
    params={
        "sections": P("sections", "the sections compared", default=["一", "五"]),
        "threshold": P("number", "the similarity (0–1) from which two sections are 雷同", default=0.6),
    },
    reads="the sections' text of all reports in an audit",
)


def _prepare_prose_sums(params: dict) -> dict:
    return {
        **params,
        **{f"{key}_re": pattern(params[key]) for key in ("figure", "parts", "whole", "exhaustive", "percent")},
    }


@check(
    "prose-sums",
    _prepare_prose_sums,
    params={
        "figure": P("pattern", "a figure and its unit: groups n and unit", True),
        "whole": P("pattern", "words before a figure that make it the whole (共, 总计 …)", True),
        "parts": P("pattern", "words that open the parts of the whole (其中 …)", True),
        "exhaustive": P("pattern", "words after which the parts are all of it (分别为 …)", True),
        "percent": P("pattern", "a share stated right after a part: group p", True),
    },
    reads="the text, sentence by sentence",
)
def prose_sums(ctx: Context, params: dict):
    """A sentence that states a whole and then its parts ("共公开120条，其中A条、B条"): parts in
    the whole's unit that add up to more than it (or, listed as all of it, to other than it),
    and a share ("占X%") that is not the part over the whole, are arithmetic the words get
    wrong — whatever the tables say, in any regime."""
    words = _words("prose-sums")
    screen = words["marks"]["screen"]
    for unit in ctx.texts():
        if not any(mark in unit.text for mark in screen):
            continue
        for sentence in words.re.sentence.finditer(unit.text):
            yield from _sentence_sums(unit, sentence.group(0), sentence.start(), params)


def _bracketed(text: str) -> set[int]:
    """Offsets that stand inside brackets."""
    marks = _words("prose-sums")["marks"]
    inside, depth = set(), 0
    for index, char in enumerate(text):
        if char in marks["opening_brackets"]:
            depth += 1
        elif char in marks["closing_brackets"]:
            depth = max(0, depth - 1)
        elif depth:
            inside.add(index)
    return inside


def _sentence_sums(unit, text: str, offset: int, params: dict):
    figures = list(params["figure_re"].finditer(text))
    opening = params["parts_re"].search(text)
    if opening:  # "…办结24件，结转下年度1件，其中予以公开11件": 其中 may divide any figure before it
        before = [f for f in figures if f.end() <= opening.start()]
        whole = max(before, key=lambda f: float(f.group("n")), default=None)
    else:
        before = []
        whole = next((f for f in figures if params["whole_re"].search(text[max(0, f.start() - 12) : f.start()])), None)
    if whole is None or float(whole.group("n")) == 0:
        return
    total, unit_word = float(whole.group("n")), whole.group("unit")
    wholes = [float(f.group("n")) for f in before if f.group("unit") == unit_word] or [total]
    nested = _bracketed(text)  # "预决算197条（政府32条、部门165条）": a part's own parts
    parts = [
        f
        for f in figures
        if f.start() > (opening.end() if opening else whole.end())
        and f.group("unit") == unit_word
        and f.start() not in nested
    ]
    said = f"{fmt_number(total)}{unit_word}"
    if opening and len(parts) >= 2:
        added = sum(float(f.group("n")) for f in parts)
        exhaustive = params["exhaustive_re"].match(text, opening.end())
        if added > total or (exhaustive and added not in wholes):
            yield Hit(
                {
                    "text": text.strip()[:80],
                    "whole": said,
                    "parts": _words("prose-sums").listed(f.group(0) for f in parts),
                    "sum": f"{fmt_number(added)}{unit_word}",
                },
                loc=unit.loc_at(offset + parts[0].start()),
                section=unit.section,
                anchor=None,
                key=f"sum/{said}/{fmt_number(added)}",
                evidence=text.strip()[:80],
                variant="exceeds" if added > total else "differs",
            )
    for part in parts:
        share = params["percent_re"].match(text, part.end())
        if share and not _percent_ok(float(share.group("p")), share.group("p"), float(part.group("n")), wholes):
            yield Hit(
                {
                    "text": text.strip()[:80],
                    "whole": said,
                    "part": part.group(0),
                    "said": share.group("p") + "%",
                    "right": f"{float(part.group('n')) * 100 / total:.1f}%",
                },
                loc=unit.loc_at(offset + part.start()),
                section=unit.section,
                anchor=None,
                key=f"share/{said}/{part.group(0)}",
                evidence=share.group(0).strip(),
                variant="share",
            )
