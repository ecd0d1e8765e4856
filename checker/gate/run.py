"""One gated run: for each document its configuration, its rule set (selected and configured,
loaded once per distinct configuration), its findings, then waivers and the baseline."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from checker.engine.rules import builtin_rules, configure, load_rules
from checker.gate import baseline as baseline_file
from checker.gate import waivers as waiver_file
from checker.gate.config import Settings, check_rule_settings, find_config, folder_of, load_settings, settings_for
from checker.gate.select import check_selectors, select


@dataclass
class Options:
    """What the command line says; None or empty means "as the configuration says"."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    rule_paths: list[str] = field(default_factory=list)
    rule_settings: dict[str, dict] = field(default_factory=dict)
    config: Path | None = None  # an explicit file instead of the search
    isolated: bool = False  # no configuration at all
    waivers: Path | None = None
    no_waivers: bool = False
    baseline: Path | None = None


def settings(document: str, options: Options) -> Settings:
    if options.isolated:
        return load_settings(None)
    if options.config:
        return load_settings(options.config.resolve())
    return settings_for(document)


class FolderSettings:
    """settings() for the documents of one run, each folder's configuration looked up once (a
    folder of a thousand reports is one search up the tree, not a thousand)."""

    def __init__(self, options: Options):
        self.options = options
        self.folders: dict[Path, Settings] = {}

    def __call__(self, document: str) -> Settings:
        if self.options.isolated or self.options.config:
            return settings(document, self.options)
        folder = folder_of(document)
        if folder not in self.folders:
            self.folders[folder] = load_settings(find_config(folder))
        return self.folders[folder]


class RuleSets:
    """The loaded rules for each distinct configuration (loading and checking happen once)."""

    def __init__(self, options: Options):
        self.options = options
        self.cache: dict[tuple, tuple] = {}

    def get(self, config: Settings) -> tuple[tuple, tuple]:
        """(every rule loaded and configured, the selected ones)."""
        key = config.key()
        if key not in self.cache:
            o = self.options
            paths = tuple(Path(p) for p in [*config.rule_paths, *o.rule_paths])
            loaded = load_rules(paths) if paths else builtin_rules()
            check_rule_settings(config, loaded)
            merged = {
                code: {"severity": v.get("severity"), "options": dict(v.get("options") or {})}
                for code, v in config.rules.items()
            }
            if config.deadlines:  # local deadlines by agency kind, for every rule of the deadline check
                for rule in loaded:
                    if rule.check == "deadline":
                        entry = merged.setdefault(rule.code, {"options": {}})
                        entry["options"]["local_deadlines"] = {
                            **entry["options"].get("local_deadlines", {}),
                            **config.deadlines,
                        }
            for target, value in o.rule_settings.items():
                # a key "check:TYPE" sets every rule of that check type (--township-deadline: deadline)
                codes = [r.code for r in loaded if r.check == target[6:]] if target.startswith("check:") else [target]
                for code in codes:
                    entry = merged.setdefault(code, {"options": {}})
                    entry["options"].update(value.get("options", {}))
            merged = {c: {k: v for k, v in s.items() if v} for c, s in merged.items()}
            rules = configure(loaded, merged, config.sources[-1] if config.sources else "命令行") if merged else loaded
            if o.select is not None:  # like ruff: a --select starts afresh, the file's selection no longer counts
                chosen, extend, ignore = o.select, o.extend_select, o.ignore
            else:
                chosen, extend, ignore = (
                    config.select,
                    [*config.extend_select, *o.extend_select],
                    [*config.ignore, *o.ignore],
                )
            where = f"{config.sources[-1]} 或命令行" if config.sources else "命令行"
            for name, selectors in (("select", chosen or []), ("extend-select", extend), ("ignore", ignore)):
                check_selectors(selectors, rules, f"{where}的 {name}")
            selected = select(rules, chosen, extend, ignore)
            self.cache[key] = (rules, selected)
        return self.cache[key]


class Gate:
    """Waivers and baseline for each document by its configuration, and its --fail-on threshold.
    Each configuration's waiver and baseline files are loaded once, so a batch can be gated a
    document at a time as its checks finish."""

    def __init__(self, rule_sets: RuleSets, options: Options):
        self.rule_sets, self.options = rule_sets, options
        self.loaded: dict[int, tuple] = {}

    def _waivers_path(self, config: Settings) -> Path | None:
        if self.options.no_waivers:
            return None
        return self.options.waivers or (Path(config.waivers) if config.waivers else None)

    def one_at_a_time(self, configs) -> bool:
        """Whether documents can be gated one by one: not when a waivers file applies, whose
        unused waivers are known only when every document it covers has been seen."""
        return not any(self._waivers_path(config) for config in configs)

    def _files(self, config: Settings) -> tuple:
        if id(config) not in self.loaded:
            rules, selected = self.rule_sets.get(config)
            waivers_path = self._waivers_path(config)
            waivers = (
                waiver_file.load_waivers(waivers_path, {r.code for r in rules}, {r.name: r.code for r in rules})
                if waivers_path
                else []
            )
            baseline_path = self.options.baseline or (Path(config.baseline) if config.baseline else None)
            entries = baseline_file.load(baseline_path) if baseline_path else None
            threshold = self.options.fail_on or config.fail_on or "error"
            self.loaded[id(config)] = (config, rules, selected, waivers, baseline_path, entries, threshold)
        return self.loaded[id(config)]

    def prepare(self, config: Settings) -> None:
        """Load a configuration's rules, waivers and baseline now (their errors said before any
        report is checked)."""
        self._files(config)

    def __call__(self, results_with_settings) -> list:
        groups: dict[int, list] = {}
        for result, config in results_with_settings:
            groups.setdefault(id(config), []).append((result, config))
        out = {}
        for members in groups.values():
            _, rules, selected, waivers, baseline_path, entries, threshold = self._files(members[0][1])
            results = [r for r, _ in members]
            if not self.options.no_waivers:
                results = waiver_file.apply(results, waivers, selected, {r.code for r in rules})
            if baseline_path:
                results = baseline_file.apply(results, baseline_path, selected, entries)
            for (original, _), result in zip(members, results):
                out[id(original)] = replace(result, fail_on=threshold)
        return [out[id(result)] for result, _ in results_with_settings]


def gate(results_with_settings, rule_sets: RuleSets, options: Options):
    """Waivers and baseline for each group of documents sharing a configuration; each result
    learns its own --fail-on threshold."""
    return Gate(rule_sets, options)(results_with_settings)
