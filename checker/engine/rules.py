"""Rules are YAML data: this module reads and validates them into Rule objects. Built-in rules
and a user's own rule pack load the same way; a file with an error is rejected with a message
naming the file, the rule and the field."""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path


from checker.engine.checks import CHECKS
from checker.years import year_ok
from checker.engine.finding import SEVERITIES
from checker.facts import KINDS, LEVELS, REGIMES
from checker.resources import load_yaml, parse_yaml, rules_dir
from checker.os_reasons import os_reason

_CODE = re.compile(r"^[ESTACNDQ]\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_FIELDS = {
    "code",
    "name",
    "title",
    "severity",
    "regimes",
    "agency_kinds",
    "basis",
    "check",
    "params",
    "message",
    "messages",
    "rationale",
    "examples",
    "subsumes",
    "severity_by_regime",
    "basis_by_regime",
    "basis_since",
    "severity_by_kind",
    "when",
    "replaces",
    "opt_in",
}
# what a root finding and the finding it subsumes must share (see Subsumes)
SCOPES = ("section", "topic", "anchor", "cell", "document")
_REQUIRED = ("code", "name", "title", "severity", "basis", "check", "message")


class RuleError(ValueError):
    def __init__(self, source: str, where: str, message: str):
        super().__init__(f"{source}：{where}：{message}")
        self.source, self.where = source, where


@dataclass(frozen=True)
class Example:
    verdict: str  # pass | fail
    text: str | None = None  # a report (markdown) written out in full
    base: str | None = None  # or: an example report under examples/ …
    edits: tuple[tuple[str, str], ...] = ()  # … with these (old, new) replacements
    note: str = ""
    overrides: tuple[tuple[str, object], ...] = ()  # year / regime / agency_kind
    at: tuple[int, str | None] | None = None  # a fail example: the line and anchor its finding must have


@dataclass(frozen=True)
class Subsumes:
    """One cause, one finding: where this rule fires, a finding of `codes` that shares `same`
    with it (its section, topic or anchor, or just the document) is the same cause seen from
    another side; the engine keeps this rule's finding and lists the other under `related`."""

    codes: tuple[str, ...]
    same: str


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    title: str
    severity: str
    regimes: tuple[str, ...]
    agency_kinds: tuple[str, ...]
    basis: str
    check: str
    params: dict
    message: str
    rationale: str
    examples: tuple[Example, ...]
    source: str
    subsumes: tuple[Subsumes, ...] = ()
    severity_by_regime: tuple[tuple[str, str], ...] = ()  # where the legal text is weaker for a regime
    basis_by_regime: tuple[tuple[str, str], ...] = ()  # the documents that apply to that regime
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()  # facts the report must have for the rule to apply
    raw_params: dict = field(default_factory=dict, compare=False)  # as written, for listings
    messages: tuple[tuple[str, str], ...] = ()  # variant → template: one rule, several wordings
    replaces: str = ""  # what this code took over from an older code (documented, never reused)
    basis_since: tuple[tuple[int, str], ...] = ()  # a text amended in a year: (from that report year, basis)
    # the most an agency kind can be held to: a 管委会 reporting as its area's government gets a
    # government's duty as a warning (the 条例 does not make it a 人民政府)
    severity_by_kind: tuple[tuple[str, str], ...] = ()
    # a duty only some places impose (a province's own list for section 六): it runs only where a
    # configuration or the command line names it by code or name (select / extend-select)
    opt_in: bool = False

    def severity_for(self, regime: str | None) -> str:
        return dict(self.severity_by_regime).get(regime, self.severity)

    def capped(self, severity: str, kind: str | None) -> str:
        """The severity, no higher than the agency kind can be held to (severity_by_kind)."""
        cap = dict(self.severity_by_kind).get(kind) if self.severity_by_kind else None
        if cap and SEVERITIES.index(severity) < SEVERITIES.index(cap):
            return cap
        return severity

    def basis_for(self, regime: str | None, year: int | None = None) -> str:
        """The basis for a report of this regime and year: the regime's own texts, and where a text
        was amended (《立法法》 in 2023) the one in force for the report's year."""
        basis = dict(self.basis_by_regime).get(regime, self.basis)
        if year is not None:
            for since, text in self.basis_since:  # ascending: the latest amendment in force wins
                if year >= since:
                    basis = text
        return basis

    def bases(self) -> list[tuple[tuple[str, ...], str]]:
        """Each distinct basis with the regimes (and amendment years) it is given for, in order:
        what `xxgk explain` and docs/rules.md print."""
        grouped: dict[str, list[str]] = {}
        for regime in self.regimes:
            grouped.setdefault(self.basis_for(regime), []).append(regime)
        out = [(tuple(regimes), text) for text, regimes in grouped.items()]
        out += [((f"{since}年度起",), text) for since, text in self.basis_since]
        return out

    def holds(self, facts) -> bool:
        """The rule's `when` conditions on the report's facts (agency_level …) are met."""
        return not self.when or all(getattr(facts, name, None) in values for name, values in self.when)

    def applies(self, regime: str | None, kind: str) -> bool:
        if regime is None:
            return len(self.regimes) == len(REGIMES)
        return regime in self.regimes and kind in self.agency_kinds

    def render(self, args: dict, variant: str | None = None) -> str:
        template = dict(self.messages).get(variant, self.message) if variant else self.message
        return _render(template, args)


class _Missing(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _render(template: str, args: dict) -> str:
    return template.format_map(_Missing(args))


def _unfold(text: str) -> str:
    """YAML folds lines with a space; Chinese text wants none between its characters."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text.strip())


def _as_tuple(value, allowed, source, where, field_name) -> tuple[str, ...]:
    if value is None or value == "all" or value == ["all"]:
        return tuple(allowed)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise RuleError(source, where, f"字段 {field_name} 应为列表")
    for item in value:
        if item not in allowed:
            raise RuleError(source, where, f"字段 {field_name} 的值「{item}」无效，可用：{', '.join(allowed)}")
    return tuple(value)


def _examples(raw, source, where) -> tuple[Example, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise RuleError(source, where, "字段 examples 应为 {pass: [...], fail: [...]}")
    out = []
    for verdict in ("pass", "fail"):
        for item in raw.get(verdict, []) or []:
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict) or not (item.get("text") or item.get("base")):
                raise RuleError(source, where, f"examples.{verdict} 的每一项需要 text 或 base")
            edits = tuple(tuple(e) for e in item.get("edits", []) or [])
            if any(len(e) != 2 for e in edits):
                raise RuleError(source, where, f"examples.{verdict}.edits 的每一项应为 [原文, 替换为]")
            overrides = tuple((k, item[k]) for k in ("year", "regime", "agency_kind") if k in item)
            at = item.get("at")
            if at is not None and not (
                isinstance(at, dict)
                and isinstance(at.get("line"), int)
                and (at.get("anchor") is None or isinstance(at.get("anchor"), str))
            ):
                raise RuleError(source, where, f"examples.{verdict}.at 应为 {{line: 行号, anchor: 锚点或 null}}")
            out.append(
                Example(
                    verdict,
                    item.get("text"),
                    item.get("base"),
                    edits,
                    item.get("note", ""),
                    overrides,
                    (at["line"], at.get("anchor")) if at else None,
                )
            )
    return tuple(out)


def _subsumes(raw, source, where) -> tuple[Subsumes, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        if not isinstance(item, dict) or not item.get("codes"):
            raise RuleError(
                source, where, "subsumes 的每一项应为 {codes: [代码…], same: section|topic|anchor|cell|document}"
            )
        codes = item["codes"] if isinstance(item["codes"], list) else [item["codes"]]
        bad = [c for c in codes if not _CODE.match(str(c))]
        if bad:
            raise RuleError(source, where, f"subsumes.codes 的值「{bad[0]}」不是规则代码")
        same = item.get("same", "section")
        if same not in SCOPES:
            close = difflib.get_close_matches(str(same), SCOPES, n=1)
            hint = f"，是否想写「{close[0]}」？" if close else ""
            raise RuleError(source, where, f"subsumes.same 的值「{same}」无效，可用：{', '.join(SCOPES)}{hint}")
        out.append(Subsumes(tuple(str(c) for c in codes), same))
    return tuple(out)


def _when(raw, source, where) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`when: {agency_level: [county, township]}`: conditions on facts beyond regimes and kinds."""
    if raw is None:
        return ()
    facts = {"agency_level": LEVELS}
    if not isinstance(raw, dict):
        raise RuleError(source, where, "字段 when 应为映射，如 {agency_level: [county, township]}")
    out = []
    for name, values in raw.items():
        if name not in facts:
            close = difflib.get_close_matches(str(name), list(facts), n=1)
            hint = f"，是否想写「{close[0]}」？" if close else f"；可用：{', '.join(facts)}"
            raise RuleError(source, where, f"when 的键「{name}」不是可用的事实{hint}")
        out.append((name, _as_tuple(values, facts[name], source, where, f"when.{name}")))
    return tuple(out)


def _by_regime(raw, allowed, source, where, field_name) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise RuleError(source, where, f"字段 {field_name} 应为映射（适用格式: 值）")
    for regime, value in raw.items():
        if regime not in REGIMES:
            raise RuleError(source, where, f"字段 {field_name} 的键「{regime}」无效，可用：{', '.join(REGIMES)}")
        if allowed and value not in allowed:
            raise RuleError(source, where, f"字段 {field_name}.{regime} 应为 {'、'.join(allowed)} 之一")
    return tuple((k, str(v)) for k, v in raw.items())


_FIELD = re.compile(r"^[a-z_][a-z0-9_]{0,30}$")


def _check_template(template: str, source: str, where: str) -> None:
    """A message template names plain fields ({topic}); no attribute or index access
    ({text.__class__}), no conversion and no format spec ({x:999999999} would allocate a GB)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        raise RuleError(source, where, f"字段 message 的格式有误：{error}（字面的花括号写作 {{{{ 和 }}}}）") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not _FIELD.match(name) or spec or conversion:
            raise RuleError(
                source,
                where,
                f"字段 message 中的「{{{name}{'!' + conversion if conversion else ''}"
                f"{':' + spec if spec else ''}}}」不允许：只能写 {{名称}}，如 {{topic}}",
            )


def _rule(raw, source: str, index: int) -> Rule:
    where = f"第 {index + 1} 条规则"
    if not isinstance(raw, dict):
        raise RuleError(source, where, "每条规则应为一个映射（code、name、check …）")
    if raw.get("code"):
        where = f"规则 {raw['code']}"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise RuleError(source, where, f"未知字段：{', '.join(sorted(unknown))}")
    for name in _REQUIRED:
        if not raw.get(name):
            raise RuleError(source, where, f"缺少字段 {name}")
    for key in ("code", "name", "title", "severity", "basis", "check", "message"):
        if not isinstance(raw[key], (str, int)) or isinstance(raw[key], bool):
            raise RuleError(source, where, f"字段 {key} 应为文字，写的是 {type(raw[key]).__name__}")
    code, name = str(raw["code"]), str(raw["name"])
    if not _CODE.match(code):
        raise RuleError(source, where, "字段 code 应为一个族字母（E S T A C N D Q）加三位数字，如 A301")
    if not _NAME.match(name):
        raise RuleError(source, where, "字段 name 应为小写英文短横线形式，如 request-balance")
    if raw["severity"] not in SEVERITIES:
        raise RuleError(source, where, f"字段 severity 应为 {'、'.join(SEVERITIES)} 之一")
    check = CHECKS.get(str(raw["check"]))
    if check is None:
        raise RuleError(
            source, where, f"字段 check 的值「{raw['check']}」不是已注册的检查类型；可用：{', '.join(sorted(CHECKS))}"
        )
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise RuleError(source, where, "字段 params 应为映射")
    written = dict(params)
    try:
        check.validate(params)
        params = check.prepare(check.complete(params))
    except (KeyError, TypeError, ValueError) as error:
        raise RuleError(source, where, f"字段 params：{error}") from error
    _check_template(str(raw["message"]), source, where)
    messages = raw.get("messages") or {}
    if not isinstance(messages, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in messages.items()
    ):
        raise RuleError(source, where, "字段 messages 应为映射（变体名: 提示文字）")
    for text in messages.values():
        _check_template(text, source, where)
    return Rule(
        code,
        name,
        str(raw["title"]),
        raw["severity"],
        _as_tuple(raw.get("regimes"), REGIMES, source, where, "regimes"),
        _as_tuple(raw.get("agency_kinds"), KINDS, source, where, "agency_kinds"),
        str(raw["basis"]),
        raw["check"],
        params,
        str(raw["message"]).strip(),
        _unfold(str(raw.get("rationale", ""))),
        _examples(raw.get("examples"), source, where),
        source,
        _subsumes(raw.get("subsumes"), source, where),
        _by_regime(raw.get("severity_by_regime"), SEVERITIES, source, where, "severity_by_regime"),
        _by_regime(raw.get("basis_by_regime"), None, source, where, "basis_by_regime"),
        _when(raw.get("when"), source, where),
        written,
        tuple((k, v.strip()) for k, v in messages.items()),
        str(raw.get("replaces", "")),
        _since(raw.get("basis_since"), source, where),
        _by_kind(raw.get("severity_by_kind"), source, where),
        _opt_in(raw.get("opt_in", False), source, where),
    )


def _opt_in(raw, source, where) -> bool:
    if not isinstance(raw, bool):
        raise RuleError(source, where, "字段 opt_in 应为 true 或 false")
    return raw


def _by_kind(raw, source, where) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(k in KINDS and v in SEVERITIES for k, v in raw.items()):
        raise RuleError(
            source,
            where,
            f"字段 severity_by_kind 应为映射（机关类别: 级别），类别为 {'、'.join(KINDS)} 之一，"
            f"级别为 {'、'.join(SEVERITIES)} 之一",
        )
    return tuple(raw.items())


def _since(raw, source, where) -> tuple[tuple[int, str], ...]:
    if raw is None:
        return ()
    # the year written quoted ("2023":) keeps the built-in YAML cacheable as JSON (text keys only)
    if not isinstance(raw, dict) or not all(year_ok(str(k)) and isinstance(v, str) for k, v in raw.items()):
        raise RuleError(
            source, where, '字段 basis_since 应为映射（起始年度: 依据），如 "2023": 《立法法》（2023年修正）……'
        )
    return tuple(sorted((int(k), v.strip()) for k, v in raw.items()))


MAX_RULE_FILE = 2 * 1024 * 1024  # bytes: the built-in rules are 60 KB together


def _read_user_file(path: Path, source: str) -> str:
    from checker.user_files import UserFileError, read_text

    try:
        return read_text(path, "规则文件", MAX_RULE_FILE)
    except UserFileError as error:
        raise RuleError(source, "文件", str(error)) from None


def _reject_aliases(text: str, source: str) -> None:
    from checker.user_files import alias_line

    line = alias_line(text)
    if line:
        raise RuleError(source, f"第 {line} 行", "规则文件不允许使用 YAML 锚点和别名（& 和 *）")


def load_file(path: Path, trusted: bool = False) -> list[Rule]:
    source = str(path)
    try:
        if trusted:  # the built-in rules, shipped with the package
            text = path.read_text(encoding="utf-8")
        else:
            text = _read_user_file(path, source)
            _reject_aliases(text, source)
        data = load_yaml(text) if trusted else parse_yaml(text)  # only what the package ships is cached
    except OSError as error:
        raise RuleError(source, "文件", f"无法读取：{os_reason(error)}") from error
    except Exception as error:  # PyYAML is imported only when a text is parsed, not read from the cache
        import yaml

        if not isinstance(error, yaml.YAMLError):
            raise
        mark = getattr(error, "problem_mark", None)
        place = f"第 {mark.line + 1} 行" if mark else "文件"
        raise RuleError(source, place, f"YAML 语法错误：{getattr(error, 'problem', error)}") from error
    if isinstance(data, dict) and "rules" in data:
        data = data["rules"]
    if not isinstance(data, list):
        raise RuleError(source, "文件", "规则文件应为规则列表，或含 rules: 列表的映射")
    return [_rule(item, source, i) for i, item in enumerate(data)]


def load_rules(paths: tuple[Path, ...] = ()) -> tuple[Rule, ...]:
    """The built-in rules plus any extra rule files or folders; codes must be unique."""
    builtin = sorted(rules_dir().glob("*.yaml"))
    files = list(builtin)
    for path in paths:
        files += sorted(Path(path).glob("*.yaml")) if Path(path).is_dir() else [Path(path)]
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in files:
        for rule in load_file(path, trusted=path in builtin):
            if rule.code in seen:
                raise RuleError(str(path), f"规则 {rule.code}", f"代码与 {seen[rule.code]} 中的规则重复")
            seen[rule.code] = str(path)
            rules.append(rule)
    for rule in rules:
        for item in rule.subsumes:
            for code in item.codes:
                if code not in seen:
                    close = difflib.get_close_matches(code, list(seen), n=1)
                    hint = f"，是否想写「{close[0]}」？" if close else ""
                    raise RuleError(rule.source, f"规则 {rule.code}", f"subsumes 中的「{code}」不是已有规则{hint}")
    return tuple(sorted(rules, key=lambda r: r.code))


def configure(rules: tuple[Rule, ...], settings: dict[str, dict], source: str = "配置") -> tuple[Rule, ...]:
    """Rules with a user's per-rule settings applied: `severity`, and `options` merged into the
    rule's params and validated by its check type as if written in the YAML."""
    by_code = {r.code: r for r in rules}
    for code, setting in settings.items():
        rule = by_code.get(code)
        if rule is None:
            raise RuleError(source, code, f"没有代码为 {code} 的规则")
        severity = setting.get("severity", rule.severity)
        if severity not in SEVERITIES:
            raise RuleError(source, code, f"severity 的值「{severity}」无效，可用：{', '.join(SEVERITIES)}")
        params = rule.params
        allowed = sorted(set(rule.raw_params) | set(CHECKS[rule.check].options) | set(CHECKS[rule.check].params or {}))
        for option in setting.get("options") or {}:
            if option not in allowed:
                close = difflib.get_close_matches(option, allowed, n=1)
                hint = f"，是否想写「{close[0]}」？" if close else f"；可用：{', '.join(allowed) or '（无）'}"
                raise RuleError(source, code, f"规则 {code} 没有选项「{option}」{hint}")
        if setting.get("options"):
            try:
                merged = {**rule.raw_params, **setting["options"]}
                CHECKS[rule.check].validate(merged)
                params = CHECKS[rule.check].prepare(CHECKS[rule.check].complete(merged))
            except (KeyError, TypeError, ValueError) as error:
                raise RuleError(source, code, f"options：{error}") from error
        by_regime = () if "severity" in setting else rule.severity_by_regime  # the user's word is final
        raw_params = {**rule.raw_params, **(setting.get("options") or {})}
        by_code[code] = replace(
            rule, severity=severity, params=params, severity_by_regime=by_regime, raw_params=raw_params
        )
    return tuple(by_code[r.code] for r in rules)


def rule_for(rules, check: str, kind: str | None = None) -> Rule | None:
    """The rule that reports what the tool itself finds (an unreadable file, a failed rule, an
    expired waiver …): found by its check type (and `params.kind`), never by a code written in
    Python, so the codes live in the YAML alone. None when that rule is not loaded or selected."""
    for rule in rules.values() if isinstance(rules, dict) else rules:
        if rule.check == check and (kind is None or rule.raw_params.get("kind") == kind):
            return rule
    return None


@cache
def builtin_rules() -> tuple[Rule, ...]:
    return load_rules()
