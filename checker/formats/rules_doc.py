"""docs/rules.md, generated from the rule YAML (a test keeps the checked-in copy current)."""

from __future__ import annotations

_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def describe_example(example, examples_here: bool = True) -> str:
    """One line for a rule example: the base report and the edits that make it pass or fail.
    An installed wheel has no examples/: the line then names the report without pointing at a
    file that is not there."""
    verdict = "通过" if example.verdict == "pass" else "不通过"
    note = f"（{example.note}）" if example.note else ""
    settings = "".join(f"，{key}={value}" for key, value in example.overrides)
    if not example.base:
        return f"示例（{verdict}）{note}：内联文本{settings}"
    edits = "；".join(f"把「{_one_line(old)}」改为「{_one_line(new)}」" for old, new in example.edits)
    base = (
        f"`examples/{example.base}`"
        if examples_here
        else f"示例报告 {example.base}（在源码仓库的 examples/ 中，安装包未附带）"
    )
    return f"示例（{verdict}）{note}：{base}" + (f"，{edits}" if edits else "") + settings


def _one_line(text: str, limit: int = 50) -> str:
    flat = " ⏎ ".join(line for line in text.strip().splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[:limit] + "…"


_SAME = {
    "section": "同一部分",
    "topic": "同一事项",
    "anchor": "同一位置",
    "cell": "同一格且差额相同",
    "document": "同一报告",
}


OPT_IN = "默认不运行：在配置的 select 或 extend-select 中写出规则代码或名称才运行"


def basis_lines(rule) -> list[str]:
    """The rule's basis for each regime it applies to (one line where all share it), then the
    gist of every article cited (rules/law/texts.yaml): what a supervisor quotes."""
    from checker.engine.law import REGIME_NAMES, gists

    bases = rule.bases()
    if len(bases) == 1:
        out = [f"依据：{bases[0][1]}"]
    else:
        out = [f"依据（{'、'.join(REGIME_NAMES.get(r, r) for r in regimes)}）：{text}" for regimes, text in bases]
    seen: list[str] = []
    for _, text in bases:
        seen += [g for g in gists(text) if g not in seen]
    return out + [f"条文要旨：{gist}" for gist in seen]


def by_regime_lines(rule) -> list[str]:
    """The regime-specific severity, and what the rule subsumes, as lines of text."""
    out = [f"{regime} 适用时级别为{_SEVERITY[value]}" for regime, value in rule.severity_by_regime]
    out += [
        f"同一原因只报一次：与 {'、'.join(item.codes)} 属{_SAME[item.same]}时，只保留本项，另一项列在本项的 related 中"
        for item in rule.subsumes
    ]
    out += [f"提示文字（{variant}）：{text}" for variant, text in rule.messages]
    if rule.replaces:
        out.append(f"取代：{rule.replaces}")
    return out


def check_types_table(rules=()) -> str:
    """The check types with their parameters (from the schemas declared next to each check), what
    they read, and one rule that uses each, as YAML (docs/rule-authoring.md holds it between
    markers; a test keeps it current)."""
    import json

    import yaml

    from checker.engine.checks import CHECKS

    example = {}
    for rule in rules:
        example.setdefault(rule.check, rule)
    lines = ["| check | scope | checks | reads | params (required in bold) | used by |", "|---|---|---|---|---|---|"]
    for name in sorted(CHECKS):
        check = CHECKS[name]
        doc = " ".join(check.doc.split())
        first = doc.split(". ")[0].rstrip(".")
        params = (
            "; ".join(
                f"{'**' if p.required else ''}`{key}`{'**' if p.required else ''} ({p.kind}"
                f"{'' if p.default is None else ', default ' + json.dumps(p.default, ensure_ascii=False)}): {p.doc}"
                for key, p in (check.params or {}).items()
            )
            or "—"
        )
        users = ", ".join(r.code for r in rules if r.check == name) or "—"
        lines.append(
            f"| `{name}` | {check.scope} | {first.replace('|', '/')} | {check.reads.replace('|', '/')} | "
            f"{params.replace('|', '/')} | {users} |"
        )
    lines += ["", "One rule of each check type, as its YAML writes `check` and `params`:", ""]
    for name in sorted(CHECKS):
        rule = example.get(name)
        if rule is None:
            continue
        body = {"code": rule.code, "check": name}
        if rule.raw_params:
            body["params"] = rule.raw_params
        text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100).rstrip()
        lines += [f"`{name}` (from {rule.code}):", "", "```yaml", text, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def as_json(rules) -> str:
    """`xxgk rules --format json` (and the server's /api/rules)."""
    import json

    data = [
        {
            "code": r.code,
            "name": r.name,
            "title": r.title,
            "severity": r.severity,
            "regimes": list(r.regimes),
            "agency_kinds": list(r.agency_kinds),
            "basis": r.basis,
            "basis_by_regime": {regime: r.basis_for(regime) for regime in r.regimes},
            **({"basis_since": {str(y): text for y, text in r.basis_since}} if r.basis_since else {}),
            "check": r.check,
            "params": r.raw_params,
            **({"when": {k: list(v) for k, v in r.when}} if r.when else {}),
            **({"severity_by_regime": dict(r.severity_by_regime)} if r.severity_by_regime else {}),
            **({"subsumes": [{"codes": list(s.codes), "same": s.same} for s in r.subsumes]} if r.subsumes else {}),
        }
        for r in rules
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(rules) -> str:
    out = [
        "# 规则参考（Rule reference）",
        "",
        "由 `xxgk rules --format markdown` 根据 `rules/*.yaml` 生成，请勿手工修改。",
        "",
        "级别的原则：只有条例或国务院办公厅格式通知明确要求、且本工具能确定时才为“错误”；惯例、推导出的关系"
        "或不能确定的读取为“警告”。明示的例外只有这些：Q705（模板中的提示文字未删除）不是条文逐字的要求，但属确定无疑的"
        "发布缺陷，为错误；E001、E003（文件无法读取、PDF 没有文字层）和 E012（无效的豁免指令）说的是输入或配置，"
        "不是报告内容，也为错误。每条依据按报告年度引用当时施行的文本（`rules/law/texts.yaml` 列出各文本的条文数和所引条文的要旨，"
        "测试逐条核对）。规则的 YAML 可以写 `severity_by_regime`（某一适用格式下的级别，如 2008 年条例"
        "只要求报告“情况”，件数未写只作警告）、`basis_by_regime`（该格式下的依据文件）和 `subsumes`"
        "（同一原因只报一次：`{codes: [T201, N501], same: section}` 表示与这些规则的问题属同一部分时只保留本项，"
        "其余列入 JSON 的 `related`；`same` 可为 section、topic、anchor、cell、document）。一条规则运行出错时，"
        "只丢失它自己的结果，并以 E004 报告。",
        "",
        "| 代码 | 名称 | 标题 | 级别 | 适用格式 |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        out.append(
            f"| [{rule.code}](#{rule.code.lower()}) | `{rule.name}` | {rule.title} | "
            f"{_SEVERITY[rule.severity]} | {'、'.join(rule.regimes)} |"
        )
    for rule in rules:
        out += [
            "",
            f"## {rule.code}",
            "",
            f"**{rule.title}** (`{rule.name}`，{_SEVERITY[rule.severity]})",
            "",
            *[f"- {line}" for line in basis_lines(rule)],
            f"- 适用格式：{'、'.join(rule.regimes)}",
            f"- 机关类别：{'、'.join(rule.agency_kinds)}",
            f"- 检查类型：`{rule.check}`",
            f"- 提示文字：{rule.message}",
        ]
        out += [f"- {line}" for line in by_regime_lines(rule)]
        out += [f"- {OPT_IN}"] if rule.opt_in else []
        if rule.rationale:
            out += ["", rule.rationale]
        out += [f"- {describe_example(example)}" for example in rule.examples]
    return "\n".join(out) + "\n"
