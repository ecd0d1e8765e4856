"""Configuration: `xxgk.toml`, `.xxgk.toml` or `[tool.xxgk]` in `pyproject.toml`, found by
walking up from each document (the nearest wins), with `extends` for a supervisor's shared
policy. Keys that are not known are an error with a suggestion; the command line beats the file."""

from __future__ import annotations

import difflib
from checker.user_files import UserFileError, load_toml
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

NAMES = ("xxgk.toml", ".xxgk.toml", "pyproject.toml")
KEYS = {
    "extends": "另一个配置文件（路径相对于本文件），先读取它，再用本文件覆盖",
    "select": "启用的规则（代码、前缀、类别或名称），默认全部",
    "extend-select": "在 select 之外再启用的规则",
    "ignore": "不启用的规则",
    "fail-on": "达到此级别（error、warning、info）的问题时退出码为 1",
    "rule-paths": "额外的规则文件或目录（路径相对于本文件）",
    "waivers": "豁免清单文件（路径相对于本文件）",
    "baseline": "基线文件（路径相对于本文件）",
    "rules": '逐条规则的设置，如 [rules.D601] severity = "warning"、township_deadline = "04-30"',
    "deadlines": "地方规定的公布期限，按机关类别：乡镇（township）、街道（subdistrict）、管委会（zone）没有全国统一期限，"
    '如 deadlines = {township = "02-20", zone = "03-31"}；也可为部门（department）、人民政府（government）'
    "设定比法定期限更早的地方期限（晚于它只作警告）",
}
SEVERITIES = ("error", "warning", "info")


class ConfigError(ValueError):
    pass


@dataclass
class Settings:
    sources: list[str] = field(default_factory=list)  # files read, base first
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    rule_paths: list[str] = field(default_factory=list)
    waivers: str | None = None
    baseline: str | None = None
    rules: dict[str, dict] = field(default_factory=dict)  # code → {severity?, options}
    deadlines: dict[str, str] = field(default_factory=dict)  # agency kind → local deadline MM-DD

    def key(self) -> tuple:
        """What decides the rule set (documents sharing it share one loaded rule set)."""
        return (
            tuple(self.select) if self.select is not None else None,
            tuple(self.extend_select),
            tuple(self.ignore),
            tuple(self.rule_paths),
            tuple(sorted((c, repr(sorted(v.items()))) for c, v in self.rules.items())),
            tuple(sorted(self.deadlines.items())),
        )

    def as_dict(self) -> dict:
        return {
            "sources": self.sources,
            "select": self.select if self.select is not None else ["ALL"],
            "extend-select": self.extend_select,
            "ignore": self.ignore,
            "fail-on": self.fail_on or "error",
            "rule-paths": self.rule_paths,
            "waivers": self.waivers,
            "baseline": self.baseline,
            "rules": self.rules,
            "deadlines": self.deadlines,
        }


def _suggest(key: str, known) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f"，是否想写「{close[0]}」？" if close else f"；可用的键：{', '.join(known)}"


def _list(value, path: Path, key: str) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}：{key} 应为字符串列表")
    return value


def _read(path: Path) -> dict:
    try:
        data = load_toml(path, "配置文件")
    except UserFileError as error:
        raise ConfigError(str(error)) from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("xxgk", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}：[tool.xxgk] 应为一个表（键值对），写的是 {type(data).__name__}")
    return data


def _has_section(path: Path) -> bool:
    if path.name != "pyproject.toml":
        return True
    try:
        tool = load_toml(path, "配置文件").get("tool", {})
    except UserFileError:
        return False
    return isinstance(tool, dict) and "xxgk" in tool


def _merge(settings: Settings, data: dict, path: Path, seen: tuple[Path, ...]) -> None:
    for key in data:
        if key not in KEYS:
            raise ConfigError(f"{path}：未知的键「{key}」{_suggest(key, KEYS)}")
    if "extends" in data:
        base = (path.parent / str(data["extends"])).resolve()
        if base in seen:
            raise ConfigError(f"{path}：extends 循环引用 {base}")
        if not base.is_file():
            raise ConfigError(f"{path}：extends 指向的文件不存在：{base}")
        _merge(settings, _read(base), base, seen + (base,))
    settings.sources.append(str(path))
    here = path.parent
    if "select" in data:
        settings.select = _list(data["select"], path, "select")
    settings.extend_select += _list(data.get("extend-select", []), path, "extend-select")
    settings.ignore += _list(data.get("ignore", []), path, "ignore")
    if "fail-on" in data:
        if data["fail-on"] not in SEVERITIES:
            raise ConfigError(f"{path}：fail-on 的值「{data['fail-on']}」无效，可用：{', '.join(SEVERITIES)}")
        settings.fail_on = data["fail-on"]
    settings.rule_paths += [str((here / p).resolve()) for p in _list(data.get("rule-paths", []), path, "rule-paths")]
    for key in ("waivers", "baseline"):
        if key in data:
            setattr(settings, key, str((here / str(data[key])).resolve()))
    deadlines = data.get("deadlines", {})
    if not isinstance(deadlines, dict) or not all(isinstance(v, str) for v in deadlines.values()):
        raise ConfigError(f'{path}：deadlines 应为表（机关类别 = "月-日"），如 deadlines = {{township = "02-20"}}')
    settings.deadlines.update(deadlines)
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{path}：rules 应为表，如 [rules.D601]")
    for code, value in rules.items():
        if not isinstance(value, dict):
            raise ConfigError(f'{path}：rules.{code} 应为表，如 [rules.{code}] severity = "warning"')
        entry = settings.rules.setdefault(code.upper(), {"options": {}})
        for name, item in value.items():
            if name == "severity":
                if item not in SEVERITIES:
                    raise ConfigError(
                        f"{path}：rules.{code}.severity 的值「{item}」无效，可用：{', '.join(SEVERITIES)}"
                    )
                entry["severity"] = item
            else:
                entry["options"][name] = item


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above `start` (a folder)."""
    for folder in (start, *start.parents):
        for name in NAMES:
            candidate = folder / name
            if candidate.is_file() and _has_section(candidate):
                return candidate
    return None


@lru_cache(maxsize=256)
def load_settings(path: Path | None) -> Settings:
    settings = Settings()
    if path is not None:
        _merge(settings, _read(path), path, (path.resolve(),))
    return settings


def folder_of(document: str) -> Path:
    """The folder whose configuration applies to a document (stdin: the working folder)."""
    return Path.cwd() if document in ("-", "") or document.startswith("<") else Path(document).resolve().parent


def settings_for(document: str) -> Settings:
    """The settings that apply to a document."""
    return load_settings(find_config(folder_of(document)))


def check_rule_settings(settings: Settings, rules) -> None:
    """Every configured rule exists and its options are ones its check accepts."""
    codes = {r.code for r in rules}
    for code in settings.rules:
        if code not in codes:
            raise ConfigError(f"{settings.sources[-1]}：rules.{code} 不是已有的规则{_suggest(code, sorted(codes))}")
