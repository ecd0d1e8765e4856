"""The blank official report for a reporting year, as Markdown: the six sections and the three
tables of the format version that year requires, built from the same YAML the checker reads
the tables with — so a report started from it has the shape the T2xx rules expect."""

from __future__ import annotations


from checker.facts.layouts import TableSpec, layout
from checker.vocab import outline_2008, section_vocabulary
from checker.facts.report_meta import regime_for

_CN = "一二三四五六七八九十"
_DOCUMENTS = {
    "format-2019": "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）所附《中华人民共和国政府信息公开工作年度报告格式（试行）》",
    "format-2021": "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）",
}
# what the 条例 says of each kind's deadline (the kinds no national deadline binds are told so)
_LOCAL = "公布期限由地方规定（《条例》第四十九条未作规定）"
_DEADLINES = {
    "department": "本报告应于{next}年1月31日前提交本级政府信息公开工作主管部门并向社会公布（《条例》第四十九条第一款）",
    "government": "本报告由本级政府信息公开工作主管部门于{next}年3月31日前向社会公布（《条例》第四十九条第二款）",
    "township": "乡镇人民政府的年度报告" + _LOCAL,
    "subdistrict": "街道办事处的年度报告" + _LOCAL,
    "zone": "管理委员会的年度报告" + _LOCAL,
    "organisation": "公共企事业单位的信息公开依照相关法律、法规和主管部门的规定执行（《条例》第五十五条）",
    "unknown": "部门的报告应于{next}年1月31日前提交本级政府信息公开工作主管部门并向社会公布，"
    "人民政府的报告由本级政府信息公开工作主管部门于{next}年3月31日前向社会公布（《条例》第四十九条）",
}
AGENCY = "（机关名称）"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _values(spec: TableSpec, row, values: dict[str, str]) -> list[str]:
    return [values.get(f"{spec.name}.{row.key}.{c.key}", "") for c in row.columns]


def _active(spec: TableSpec, values: dict[str, str]) -> list[str]:
    width = 1 + max(len(r.columns) for r in spec.rows)
    lines: list[str] = []
    for index, block in enumerate(spec.blocks):
        rows = [r for r in spec.rows if r.block == index]
        columns = [c.label for c in rows[0].columns]
        lines.append(_row([block] * width))
        if not index:
            lines.append(_row(["---"] * width))
        lines.append(_row(["信息内容", *columns, *[""] * (width - 1 - len(columns))]))
        lines += [_row([r.label, *_values(spec, r, values), *[""] * (width - 1 - len(r.columns))]) for r in rows]
    return lines


def _requests(spec: TableSpec, values: dict[str, str]) -> list[str]:
    columns = spec.columns
    corner = [f"（{spec.note}）" if spec.note else ""] * 3  # as the official form prints it
    parents = [c.parent or c.label for c in columns]
    lines = [
        _row(corner + ["申请人情况"] * len(columns)),
        _row(["---"] * (3 + len(columns))),
        _row(corner + parents),
        _row(corner + [c.label for c in columns]),
    ]
    for row in spec.rows:
        parts = row.key.split(".")
        if len(parts) == 1:
            labels = [row.label] * 3
        elif len(parts) == 2:
            labels = [spec.group_labels.get(parts[0], ""), row.label, row.label]
        else:
            labels = [spec.group_labels.get(parts[0], ""), spec.group_labels.get(".".join(parts[:2]), ""), row.label]
        lines.append(_row(labels + _values(spec, row, values)))
    return lines


def _appeals(spec: TableSpec, values: dict[str, str]) -> list[str]:
    columns = [c.label for c in spec.columns]
    groups = [r.label.split("·") for r in spec.rows]  # 行政复议 / 行政诉讼·未经复议直接起诉 …
    width = len(columns) * len(groups)
    return [
        _row([g[0] for g in groups for _ in columns]),
        _row(["---"] * width),
        _row([(g[1] if len(g) > 1 else c) for g in groups for c in columns]),
        _row(columns * len(groups)),
        _row([v for row in spec.rows for v in _values(spec, row, values)]),
    ]


_TABLES = {"active": _active, "requests": _requests, "appeals": _appeals}

_HINTS = {
    "一": "【按主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面概述本年度工作。】",
    "五": "【写明上年度存在问题的改进情况，以及本年度存在的主要问题和改进措施；不得以“无”代替。】",
    "六": "【报告收取信息处理费的情况：收取的金额，或写明本年度未收取信息处理费；发出收费通知、申请人逾期未缴纳费用的"
    "（表三（六）2），一并说明。有其他需要报告的事项一并写明。】",
}
# the 2019 form's table 三 has no row （六）2 (fee notices came with the 信息处理费 办法 in 2021)
_SIX_2019 = "【报告收取信息处理费的情况：收取的金额，或写明本年度未收取信息处理费。有其他需要报告的事项一并写明。】"
# a people's government's duty under 第五十条, placed where the 30号 notice places it: in 监督保障
_GOVERNMENT = (
    "【按主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面概述本年度工作；"
    "监督保障中写明工作考核、社会评议和责任追究结果情况（人民政府的年度报告应当包括，《条例》第五十条）。】"
)


def render(year: int, agency_kind: str = "unknown", values: dict[str, str] | None = None) -> str:
    """The template for `year`; `values` (cell key → text) fills table cells, e.g. to carry a
    report's figures over into the official shape."""
    values = values or {}
    regime = regime_for(year)
    lines = [f"# {AGENCY}{year}年政府信息公开工作年度报告", ""]
    basis = "《中华人民共和国政府信息公开条例》（以下简称《条例》）"
    if regime in _DOCUMENTS:
        basis += "和" + _DOCUMENTS[regime]
    lines += [
        f"本报告依据{basis}编制。本报告所列数据的统计期限为{year}年1月1日至12月31日。"
        f"本报告电子版可在{AGENCY}门户网站下载。如对本报告有疑问，请与{AGENCY}联系（电话：　　　　）。",
        "",
    ]
    if regime == "regulation-2008":
        for index, title in enumerate(outline_2008()):
            lines += [f"## {_CN[index]}、{title}", "", "【填写本部分内容。】", ""]
    else:
        tables = {spec.section: (name, spec) for name, spec in layout(regime).tables.items()}
        for word in section_vocabulary():
            lines += [f"## {word.ordinal}、{word.title}", ""]
            hint = _SIX_2019 if word.ordinal == "六" and regime == "format-2019" else _HINTS.get(word.ordinal)
            if word.ordinal == "一" and agency_kind in ("government", "township"):
                hint = _GOVERNMENT
            if word.ordinal in tables:
                name, spec = tables[word.ordinal]
                lines += _TABLES[name](spec, values) + [""]
            elif hint:
                lines += [hint, ""]
    if regime == "regulation-2008":
        deadline = "本报告应于{next}年3月31日前公布（《条例》（2007年公布）第三十一条）"
    else:
        deadline = _DEADLINES.get(agency_kind, _DEADLINES["unknown"])
    lines += [AGENCY, "", f"{year + 1}年　月　日", "", f"【{deadline.format(next=year + 1)}。】", ""]
    return "\n".join(lines)
