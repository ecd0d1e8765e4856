"""The `xxgk` command. Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 the tool
could not do its job (bad usage, bad rule file)."""

from __future__ import annotations

import contextlib
import gc
import glob
import json
import re
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from checker import __version__, collector
from checker.kinds import KINDS, REGIMES
from checker.years import FIRST_TEMPLATE_YEAR, FIRST_YEAR, LAST_YEAR
from checker.cli_chinese import ChineseCommand, ChineseGroup
from checker.os_reasons import os_reason

app = typer.Typer(
    cls=ChineseGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="政府信息公开工作年度报告检查工具 (xxgk-checker)",
)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class OutputFormat(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    gitlab = "gitlab"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


Regime = Enum("Regime", {value: value for value in REGIMES}, type=str)  # the choices, from checker.kinds
Kind = Enum("Kind", {value: value for value in KINDS}, type=str)


def _fail(message: str) -> None:
    typer.echo(f"xxgk: {message}", err=True)
    raise typer.Exit(2)


def _version(value: bool):
    if value:
        typer.echo(f"xxgk-checker {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本并退出")):
    pass


def expand_paths(paths: List[str]) -> list[str]:
    """Files, folders (searched recursively for supported formats), globs and '-' for stdin."""
    from checker.ingest import SUPPORTED

    out: list[str] = []
    for raw in paths:
        if raw == "-":
            out.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            from checker.audit.output import our_files

            ours = our_files(path)  # an audit's own pages are never read back as reports
            out.extend(str(p) for p in _walk(path, SUPPORTED) if not (ours and p.resolve() in ours))
        elif path.exists():
            out.append(raw)
        elif any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                _fail(f"没有文件匹配「{raw}」")
            out.extend(m for m in matches if Path(m).is_file())
        else:
            _fail(f"文件或目录不存在：{raw}")
    return out


def _walk(folder: Path, suffixes) -> list[Path]:
    """The reports below a folder, hidden ones aside. A subfolder that cannot be listed, or an
    entry named like a report that is no regular file (a FIFO, a device), is kept: checking it
    reports it (E001), so nothing is skipped in silence. Links to folders are not followed."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=lambda error: found.append(Path(error.filename))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in suffixes:
                found.append(Path(root) / name)
    return sorted(found)


def _rules(extra: Optional[List[Path]], settings: dict | None = None):
    from checker.engine.rules import RuleError, builtin_rules, configure, load_rules

    try:
        rules = load_rules(tuple(extra)) if extra else builtin_rules()
    except RuleError as error:
        _fail(f"规则文件有误：{error}")
    try:
        return configure(rules, settings) if settings else rules
    except RuleError as error:
        _fail(f"规则设置有误：{error}")


def _check_one(path: str, overrides, rules, stdin_name: str):
    from checker import pipeline

    if path == "-":
        from checker.ingest import MAX_BYTES

        data = sys.stdin.buffer.read(MAX_BYTES + 1)  # never more than the largest report we accept
        return pipeline.check_one(data, stdin_name, overrides, rules)
    return pipeline.check_one(path, None, overrides, rules)


_FORMATS = ("text", "concise", "json", "jsonl", "sarif", "junit", "github", "gitlab")


def _selectors(values: Optional[List[str]]) -> list[str]:
    return [v for value in values or [] for v in value.replace(",", " ").split() if v]


def _outputs(format: str, targets: Optional[List[str]]) -> list[tuple[str, Optional[Path]]]:
    """(format, file or None for stdout): `-o FILE` takes --format; `-o sarif:FILE` adds one."""
    outputs: list[tuple[str, Optional[Path]]] = []
    plain = None
    for target in targets or []:
        kind, sep, rest = target.partition(":")
        if sep and kind in _FORMATS and rest:
            outputs.append((kind, Path(rest)))
        elif sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]+", kind):  # FMT:FILE with a format we do not have
            _fail(
                f"-o {target}：未知的输出格式「{kind}」；可用：{'、'.join(_FORMATS)}（写作 FMT:文件，如 sarif:out.sarif）"
            )
        else:
            plain = Path(target)
    return [(format, plain)] + outputs


@app.command(cls=ChineseCommand)
def check(
    paths: List[str] = typer.Argument(..., help="报告文件、目录、通配符，或 - 表示标准输入"),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", "--output-format", help="标准输出的格式"),
    output: Optional[List[str]] = typer.Option(
        None,
        "--output",
        "-o",
        help="FILE：把 --format 的输出写入文件；FMT:FILE（如 sarif:out.sarif）：另写一种格式，可重复",
    ),
    quiet: int = typer.Option(
        0, "--quiet", "-q", count=True, help="文本格式只输出汇总行；-qq 什么也不输出（只看退出码）"
    ),
    color: Color = typer.Option(
        Color.auto, "--color", help="文本格式的颜色：auto（终端且未设 NO_COLOR 时）、always、never"
    ),
    show_basis: bool = typer.Option(False, "--show-basis", help="文本格式在每项问题下列出其法规依据"),
    allow_empty: bool = typer.Option(
        False, "--allow-empty", help="没有找到任何报告时以 0 退出（默认为 2：什么都没检查的门禁不算通过）"
    ),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="达到此级别的问题时退出码为 1（默认 error）"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="有问题也以 0 退出（工具出错仍为 2）"),
    select_: Optional[List[str]] = typer.Option(
        None, "--select", help="只启用这些规则：代码、前缀（A3）、类别（A、arithmetic）或名称"
    ),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="在配置之外再启用的规则"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不启用的规则"),
    statistics: bool = typer.Option(False, "--statistics", help="按规则统计问题数"),
    config: Optional[Path] = typer.Option(None, "--config", help="使用此配置文件（不再逐级查找）"),
    isolated: bool = typer.Option(False, "--isolated", help="不读取任何配置文件"),
    waivers: Optional[Path] = typer.Option(None, "--waivers", help="豁免清单（YAML）"),
    no_waivers: bool = typer.Option(False, "--no-waivers", help="不应用任何豁免（审计用）"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线文件：其中已有的问题不计入结果"),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="把当前的问题写成基线文件后退出"),
    regime: Optional[Regime] = typer.Option(None, "--regime", help="指定适用的格式（默认按报告年度判断）"),
    year: Optional[int] = typer.Option(None, "--year", min=FIRST_YEAR, max=LAST_YEAR, help="指定报告年度"),
    agency_kind: Optional[Kind] = typer.Option(None, "--agency-kind", help="指定机关类别"),
    rule_paths: Optional[List[Path]] = typer.Option(None, "--rules", help="额外的规则文件或目录（YAML）"),
    stdin_filename: str = typer.Option(
        "<stdin>", "--stdin-filename", help="标准输入的文件名（决定格式，也用于查找配置）"
    ),
    township_deadline: Optional[str] = typer.Option(
        None, "--township-deadline", metavar="MM-DD", help="乡镇、街道的公布期限（地方规定，默认 03-31）"
    ),
    fix: bool = typer.Option(
        False,
        "--fix",
        help="修正可以确定的问题（繁体、拼音残留、网页残留行、表格中的全角数字），写入旁边的 NAME.fixed.EXT",
    ),
    fix_in_place: bool = typer.Option(False, "--fix-in-place", help="与 --fix 相同，但直接改写原文件"),
    force: bool = typer.Option(False, "--force", help="--fix 的 NAME.fixed.EXT 已存在时覆盖它"),
    diff: bool = typer.Option(False, "--diff", help="不写文件，只输出 --fix 会做的修改（unified diff）"),
    jobs: int = typer.Option(
        0, "--jobs", "-j", min=0, help="并行进程数（默认：全部 CPU 核；1 表示在本进程中逐份检查）"
    ),
):
    """检查一份或多份年度报告。"""
    from checker.engine.rules import RuleError
    from checker.facts import Overrides
    from checker.gate import run as gate_run
    from checker.gate.baseline import BaselineError
    from checker.gate.baseline import write as write_baseline_file
    from checker.gate.config import ConfigError
    from checker.gate.select import SelectorError
    from checker.gate.waivers import WaiverError

    options = gate_run.Options(
        select=_selectors(select_) if select_ else None,
        extend_select=_selectors(extend_select),
        ignore=_selectors(ignore),
        fail_on=fail_on.value if fail_on else None,
        rule_paths=[str(p) for p in rule_paths or []],
        rule_settings={"check:deadline": {"options": {"township_deadline": township_deadline}}}
        if township_deadline
        else {},
        config=config,
        isolated=isolated,
        waivers=waivers,
        no_waivers=no_waivers,
        baseline=baseline,
    )
    if config and not config.is_file():
        _fail(f"配置文件不存在：{config}")
    from checker.facts.layouts import LayoutError, load_layout_file, pack_layouts

    local = pack_layouts(rule_paths or [])  # a pack's tables/*.yaml: local variants of the official tables
    try:
        for path in local:
            load_layout_file(path)
    except LayoutError as error:
        _fail(f"表格布局文件有误：{error}")
    overrides = Overrides(year, regime.value if regime else None, agency_kind.value if agency_kind else None, local)
    rule_sets = gate_run.RuleSets(options)
    files = expand_paths(paths)
    if not files and not allow_empty:
        _fail(
            f"在 {'、'.join(paths)} 中没有找到可检查的报告（支持 txt、md、html、docx、pdf，及经 LibreOffice 转换的 doc、wps、odt、rtf）；"
            "什么都没检查的门禁不能算通过（确需如此请加 --allow-empty）"
        )
    from checker.safe_write import OutputError, refuse_overwriting_inputs

    try:  # before anything is read: an output that is an input would destroy the user's report
        refuse_overwriting_inputs([t for _, t in _outputs(format.value, output)] + [write_baseline], files)
    except OutputError as error:
        _fail(str(error))
    fixing = fix or fix_in_place or diff
    settings_of = gate_run.FolderSettings(options)
    gate = gate_run.Gate(rule_sets, options)
    try:  # every configuration, its rules, waivers and baseline, before any report is checked
        configs = [settings_of(stdin_filename if path == "-" else path) for path in files]
        for config in {id(c): c for c in configs}.values():
            gate.prepare(config)
    except (ConfigError, SelectorError, WaiverError, BaselineError) as error:
        _fail(f"配置有误：{error}")
    except RuleError as error:
        _fail(f"规则或规则设置有误：{error}")
    checked = _checked(files, configs, rule_sets, options, overrides, stdin_filename, jobs, keep_whole=fixing)
    # the gate decides a document at a time unless a waivers file applies (an unused waiver is
    # known only at the end), and --fix and --write-baseline act on the whole run
    whole = fixing or write_baseline is not None or not gate.one_at_a_time(configs)
    tint = color is Color.always or (color is Color.auto and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    every_rule = {r.code: r for rules, _ in rule_sets.cache.values() for r in rules}
    out = _Outputs(_outputs(format.value, output), tuple(every_rule.values()), tint, quiet, show_basis, statistics)
    with collector.batch():
        try:
            if whole:
                results = gate(list(zip(checked, configs)))
                if fixing:
                    changed = _fix(results, in_place=fix_in_place, diff_only=diff, force=force)
                    if diff:
                        raise typer.Exit(1 if changed and not exit_zero else 0)
                if write_baseline:
                    try:
                        count = write_baseline_file(results, write_baseline)
                    except OSError as error:
                        _fail(f"无法写入 {write_baseline}：{os_reason(error)}")
                    typer.echo(f"已把 {count} 项问题写入基线 {write_baseline}", err=True)
                    raise typer.Exit(0)
            out.write(results if whole else (gate([pair])[0] for pair in zip(checked, configs)), held=whole)
        except (ConfigError, SelectorError, WaiverError, BaselineError) as error:
            _fail(f"配置有误：{error}")
        except RuleError as error:
            _fail(f"规则或规则设置有误：{error}")
    if statistics:
        (sys.stdout if format is OutputFormat.text else sys.stderr).write(out.tally.render())
    raise typer.Exit(1 if out.failed and not exit_zero else 0)


def _checked(files, configs, rule_sets, options, overrides, stdin_name: str, jobs: int, keep_whole: bool):
    """Each report checked, in order, as its compact record: by worker processes (--jobs, the
    cores by default), or in this process (one job, a handful of files, standard input, or
    keep_whole: --fix, which needs the whole Result)."""
    from checker import batch
    from checker.formats.record import record

    cores = jobs or os.cpu_count() or 1
    if cores > 1 and len(files) >= batch.SERIAL_BELOW and "-" not in files and not keep_whole:
        yield from (found for _, found in batch.records(files, options, overrides, cores))
        return
    for path, config in zip(files, configs):
        result = _check_one(path, overrides, rule_sets.get(config)[1], stdin_name)
        yield result if keep_whole else record(result)


class _Outputs:
    """Every output of a check run, fed a report at a time (checker.formats.sink), with the
    --statistics tally, the GitHub job summary and whether the gate failed."""

    def __init__(self, kinds, rules, tint: bool, quiet: int, basis: bool, statistics: bool):
        from checker.formats import github
        from checker.formats import text as text_format

        self.kinds, self.rules, self.tint, self.quiet, self.basis = kinds, rules, tint, quiet, basis
        self.tally = text_format.Tally() if statistics else None
        wanted = os.environ.get("GITHUB_STEP_SUMMARY") and any(kind == "github" for kind, _ in kinds)
        self.step = github.Summary() if wanted else None
        self.failed = False

    def _open(self, kind: str, target: Optional[Path], files: contextlib.ExitStack):
        from checker.formats.sink import Sink
        from checker.safe_write import replacing

        if target is None:
            return Sink(kind, sys.stdout, self.rules, color=self.tint, quiet=self.quiet, basis=self.basis)
        try:  # written beside the target and renamed over it when complete
            temp = files.enter_context(replacing(target))
            handle = files.enter_context(open(temp, "w", encoding="utf-8", newline=""))
        except OSError as error:
            _fail(f"无法写入 {target}：{os_reason(error)}")
        return Sink(kind, handle, self.rules, basis=self.basis)

    def write(self, results, held: bool = False) -> None:
        """`held`: the results are a list kept to the end (--fix, a waivers file), not a stream."""
        from checker.engine.finding import SEVERITY_RANK

        try:
            with contextlib.ExitStack() as files:
                sinks = [self._open(kind, target, files) for kind, target in self.kinds]
                for result in results:
                    for sink in sinks:
                        sink.add(result)
                    for sum_up in (self.tally, self.step):
                        if sum_up:
                            sum_up.add(result)
                    rank = SEVERITY_RANK[result.fail_on]
                    self.failed = self.failed or any(SEVERITY_RANK[f.severity] >= rank for f in result.active)
                    if held:
                        # what is held to the end is finished: the cyclic collector is told not to
                        # rescan it after every later report (rescanning a growing heap cost a
                        # third of a folder's time); a report leaves no cyclic garbage to freeze
                        gc.freeze()
                for sink in sinks:
                    sink.close()
        except OSError as error:
            _fail(f"无法写出结果：{os_reason(error)}")
        finally:
            gc.unfreeze()  # a caller that goes on (tests run the CLI in process) collects them again
        if self.step:
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
                handle.write(self.step.text())


def _fix(results, in_place: bool, diff_only: bool, force: bool = False) -> int:
    """Apply the certain fixes to each checked file (a copy beside it, the file itself, or only a
    diff on standard output); say each fix on standard error. Returns how many files change."""
    import difflib

    from checker import fixes
    from checker.safe_write import write_atomic

    changed = 0
    for result in results:
        path = Path(result.path)
        if result.source is None or result.path.startswith("<") or result.path == "-" or not path.is_file():
            continue
        fmt = result.source.format
        if fmt not in fixes.FIXABLE:
            continue  # (a PDF, a scan: nothing to correct, nothing to read again)
        data = path.read_bytes()
        try:
            done = fixes.corrected(result, data)
        except fixes.CannotFix as error:
            typer.echo(f"{result.path}：未修正，{error}", err=True)
            continue  # the other files of a folder are still fixed
        if done is None:
            continue
        new, applied = done
        changed += 1
        if diff_only:
            before = fixes.text_lines(data, fmt, result.source.encoding)
            after = fixes.text_lines(new, fmt, result.source.encoding)
            sys.stdout.write(fixes.patch(difflib.unified_diff(before, after, f"a/{result.path}", f"b/{result.path}")))
            continue
        target = path.resolve() if in_place else fixes.fixed_name(path)  # a link: its target is the file
        if not in_place and (target.exists() or target.is_symlink()) and not force:
            _fail(f"{target} 已存在，未覆盖（可能是上次修正后又改过的文件）；确需覆盖请加 --force")
        try:
            write_atomic(target, new, keep_mode=path.resolve())
        except OSError as error:
            _fail(f"无法写入 {target}：{os_reason(error)}")
        for item in applied:
            typer.echo(f"已修正 {target}：{item.where} {item.code or '格式'} {item.what}", err=True)
    return changed


def _with_local_deadlines(rules, given: list[str]):
    """The rules with local deadlines by agency kind (`township=02-20`) set on the deadline check."""
    from checker.engine.rules import RuleError, configure

    local = {}
    for item in given:
        kind, _, day = item.partition("=")
        if not day:
            _fail(f"--deadline 的值「{item}」应写作 类别=月-日，如 township=02-20")
        local[kind.strip()] = day.strip()
    codes = {r.code: {"options": {"local_deadlines": local}} for r in rules if r.check == "deadline"}
    try:
        return configure(rules, codes, "--deadline")
    except RuleError as error:
        _fail(str(error))


@app.command(cls=ChineseCommand)
def audit(
    paths: List[str] = typer.Argument(..., help="报告所在的目录、文件或通配符（递归查找所有支持的格式）"),
    outdir: Path = typer.Option(..., "--output", "-o", help="审计报告的输出目录"),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="并行进程数（默认：全部 CPU 核）"),
    history: Optional[List[Path]] = typer.Option(None, "--history", help="往年的报告目录，或往年审计的 findings.json"),
    score_file: Optional[Path] = typer.Option(
        None, "--score", help="评分权重文件（YAML，覆盖 rules/audit/score.yaml）"
    ),
    min_score: Optional[float] = typer.Option(None, "--min-score", help="有报告低于此分时退出码为 1"),
    rule_paths: Optional[List[Path]] = typer.Option(None, "--rules", help="额外的规则文件或目录（YAML）"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度条"),
    force: bool = typer.Option(False, "--force", help="输出目录中有其他文件时仍写入（只替换审计自己的文件）"),
    roster: Optional[Path] = typer.Option(
        None,
        "--roster",
        help="应公布年报的机关名册（CSV：agency,kind[,parent,deadline,aggregates,since,until,aliases]），列出未发布的机关；aggregates 为“是”的机关，其汇总数与下级机关报告之和比较",
    ),
    deadline: Optional[List[str]] = typer.Option(
        None,
        "--deadline",
        metavar="KIND=MM-DD",
        help="地方规定的公布期限，按机关类别，如 --deadline township=02-20（可重复；类别：township、subdistrict、zone、department、government）",
    ),
    year: Optional[str] = typer.Option(
        None,
        "--year",
        help="审计的报告年度（默认：批次中报告最多的年度）；其他年度的报告作为往年参照，不计入本年度。all：各年度一并审计",
    ),
):
    """批量审计：并行检查所有报告，跨报告比对（结转、存量、雷同），输出 HTML 审计报告与汇总表。

    xxgk audit merge 审计目录… -o 输出目录：把几次审计（如各省各一次）合并为一次，不再读取报告文件。"""
    from checker.audit import score as scoring
    from checker.audit.run import HistoryError
    from checker.audit.run import audit as run_audit
    from checker.audit.run import merge as run_merge
    from checker.audit.shard import ShardError
    from checker.audit.report import audit_summary
    from checker.years import year_ok

    from checker.audit.output import check_target
    from checker.safe_write import OutputError

    try:
        check_target(outdir, force)
    except OutputError as error:
        _fail(str(error))
    if year is not None and year.strip().lower() not in ("all", "全部") and not year_ok(year.strip(), 2008):
        _fail(f"--year {year} 不是可审计的报告年度（应为 2008 年以后的年份，或 all 表示各年度一并审计）")
    audited_year = None if year is None else ("all" if year.strip().lower() in ("all", "全部") else int(year))
    try:
        weights = scoring.load(score_file)
    except scoring.ScoreError as error:
        _fail(str(error))
    for folder in history or []:
        if not folder.exists():
            _fail(f"往年报告目录不存在：{folder}")
    rules = _rules(rule_paths)
    if deadline:
        rules = _with_local_deadlines(rules, deadline)
    # `xxgk audit merge SHARD…`: the audits of several shards as one (a file named merge is a report)
    merging = paths[0] == "merge" and not Path("merge").exists()
    shards = [Path(p) for p in paths[1:]] if merging else []
    if merging and not shards:
        _fail("xxgk audit merge 需要至少一个审计输出目录（xxgk audit 的 -o 目录）")
    files = [] if merging else expand_paths(paths)
    if not files and not merging:
        _fail("没有找到可检查的报告（支持 txt、md、html、docx、pdf，及经 LibreOffice 转换的 doc、wps、odt、rtf）")
    members = None
    if roster is not None:
        from checker.audit.roster import RosterError, load

        try:
            members = load(roster)
        except RosterError as error:
            _fail(str(error))
    cores = jobs or os.cpu_count() or 1
    try:
        if merging:
            audited = run_merge(
                shards, outdir, rules, cores, list(history or []), weights, expand_paths,
                force=force, roster=members, year=audited_year,
            )  # fmt: skip
        else:
            audited = run_audit(
                files, outdir, rules, cores, list(history or []), weights, expand_paths,
                quiet, force, members, audited_year,
            )  # fmt: skip
    except (HistoryError, ShardError) as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"无法写入审计报告：{os_reason(error)}")
    except Exception as error:  # a defect of ours: a clear message, not a traceback
        if os.environ.get("XXGK_DEBUG"):
            raise
        _fail(f"审计时发生内部错误（{type(error).__name__}: {error}），请设置 XXGK_DEBUG=1 重试并报告问题")
    typer.echo(audit_summary(audited), err=True)
    typer.echo(f"审计报告：{outdir / 'index.html'}", err=True)
    docs = audited.docs
    below = [d for d in docs if min_score is not None and d.score is not None and d.score < min_score]
    if below:
        from checker.audit.spreadsheet import main_causes

        typer.echo(f"{len(below)} 份报告低于 {min_score:g} 分：", err=True)
        for doc in sorted(below, key=lambda d: d.score):
            name = f"{doc.agency or '机关未识别'}{f' {doc.year}年度' if doc.year else ''}"
            typer.echo(f"  {doc.score:g} 分  {name}（{doc.path}）：{'；'.join(main_causes(doc)) or '—'}", err=True)
        raise typer.Exit(1)


@app.command("config", cls=ChineseCommand)
def show_config(
    path: str = typer.Argument(".", help="报告文件或目录：显示对它生效的配置"),
    config: Optional[Path] = typer.Option(None, "--config", help="使用此配置文件（不再逐级查找）"),
):
    """显示对某个报告（或目录）生效的配置。"""
    from checker.engine.rules import RuleError
    from checker.gate import run as gate_run
    from checker.gate.config import ConfigError
    from checker.gate.select import SelectorError

    options = gate_run.Options(config=config)
    target = Path(path)
    probe = str(target / "_") if target.is_dir() else path
    try:
        settings = gate_run.settings(probe, options)
        rules, selected = gate_run.RuleSets(options).get(settings)
    except (ConfigError, SelectorError, RuleError) as error:
        _fail(f"配置有误：{error}")
    data = settings.as_dict()
    data["enabled"] = [r.code for r in selected]
    data["disabled"] = [r.code for r in rules if r not in selected]
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command(cls=ChineseCommand)
def parse(
    path: str = typer.Argument(..., help="报告文件，或 - 表示标准输入"),
    format: str = typer.Option("tree", "--format", "-f", help="tree（缩进树）或 json（AST 与事实）"),
    stdin_filename: str = typer.Option("<stdin>", "--stdin-filename"),
    regime: Optional[Regime] = typer.Option(None, "--regime"),
    year: Optional[int] = typer.Option(None, "--year", min=FIRST_YEAR, max=LAST_YEAR),
    agency_kind: Optional[Kind] = typer.Option(None, "--agency-kind"),
):
    """显示报告的解析结果（AST）及识别出的事实。"""
    from checker.facts import Overrides
    from checker.formats import ast_dump
    from checker.ingest import IngestError, ingest_bytes, ingest_path
    from checker.normalize import normalize
    from checker.facts import extract
    from checker.parse import parse as parse_doc

    if format not in ("tree", "json"):
        _fail("--format 应为 tree 或 json")
    if path != "-" and not Path(path).exists():
        _fail(f"文件不存在：{path}")
    from checker.ingest import MAX_BYTES

    try:
        doc = ingest_bytes(sys.stdin.buffer.read(MAX_BYTES + 1), stdin_filename) if path == "-" else ingest_path(path)
    except IngestError as error:
        _fail(f"无法读取 {path}：{error}")
    try:
        normal = normalize(doc)
        report = parse_doc(normal)
        facts = extract(
            report,
            normal,
            Overrides(year, regime.value if regime else None, agency_kind.value if agency_kind else None),
        )
    except Exception as error:  # a defect of ours: a clear message, never a traceback
        if os.environ.get("XXGK_DEBUG"):
            raise
        _fail(f"解析 {path} 时发生内部错误（{type(error).__name__}: {error}），请附上此文件报告问题")
    if format == "json":
        sys.stdout.write(json.dumps(ast_dump.as_json(report, facts, normal), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(ast_dump.as_tree(report, facts))


@app.command(cls=ChineseCommand)
def rules(
    format: str = typer.Option(
        "text", "--format", "-f", help="text、json、markdown（规则参考文档）或 check-types（检查类型及其参数）"
    ),
    rule_paths: Optional[List[Path]] = typer.Option(None, "--rules", help="额外的规则文件或目录"),
):
    """列出全部规则。"""
    loaded = _rules(rule_paths)
    if format not in ("text", "json", "markdown", "check-types"):
        _fail("--format 应为 text、json、markdown 或 check-types")
    if format == "check-types":
        from checker.formats.rules_doc import check_types_table

        sys.stdout.write(check_types_table(loaded))
        return
    if format == "markdown":
        from checker.formats.rules_doc import render

        sys.stdout.write(render(loaded))
        return
    if format == "json":
        from checker.formats.rules_doc import as_json

        sys.stdout.write(as_json(loaded))
        return
    for r in loaded:
        typer.echo(f"{r.code}  {r.name:<22} {r.severity:<8} {r.title}")


@app.command(cls=ChineseCommand)
def explain(code: str = typer.Argument(..., help="规则代码，如 A301，或规则名")):
    """说明一条规则：依据、理由与示例。"""
    loaded = _rules(None)
    rule = next((r for r in loaded if r.code == code.upper() or r.name == code), None)
    if rule is None:
        _fail(f"没有规则「{code}」；用 xxgk rules 查看全部规则")
    typer.echo(f"{rule.code} {rule.name} — {rule.title}")
    from checker.formats.rules_doc import _SEVERITY, OPT_IN, basis_lines, by_regime_lines, describe_example

    typer.echo(f"级别：{_SEVERITY[rule.severity]}（{rule.severity}）")
    typer.echo(f"适用：{'、'.join(rule.regimes)}；机关类别：{'、'.join(rule.agency_kinds)}")
    for line in basis_lines(rule):
        typer.echo(line)
    for line in by_regime_lines(rule):
        typer.echo(f"另：{line}")
    if rule.opt_in:
        typer.echo(OPT_IN)
    if rule.rationale:
        typer.echo(f"说明：{rule.rationale}")

    from checker.resources import examples_dir

    examples_here = examples_dir() is not None
    for example in rule.examples:
        typer.echo(describe_example(example, examples_here))
        if example.text:
            typer.echo(example.text)


class TemplateFormat(str, Enum):
    md = "md"
    docx = "docx"


@app.command(cls=ChineseCommand)
def template(
    year: int = typer.Option(..., "--year", min=FIRST_TEMPLATE_YEAR, max=LAST_YEAR, help="报告年度（决定适用的格式）"),
    agency_kind: Kind = typer.Option(Kind.unknown, "--agency-kind", help="机关类别"),
    format: TemplateFormat = typer.Option(TemplateFormat.md, "--format", "-f", help="md 或 docx"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件（docx 必须指定）"),
    force: bool = typer.Option(False, "--force", help="目标文件已存在时覆盖它"),
):
    """输出该年度的空白年度报告（六个部分和对应版本的三张表），作为起草的起点。"""
    from checker.formats.template import render

    markdown = render(year, agency_kind.value)
    if format is TemplateFormat.docx:
        if output is None:
            _fail("docx 格式需要用 -o 指定输出文件")
        from checker.formats.docx_writer import write

        target = output
    else:
        target = output
    if target is None:
        sys.stdout.write(markdown)
        return
    if target.exists() and target.is_dir():
        _fail(f"{target} 是目录，请指定文件名")
    if (target.exists() or target.is_symlink()) and not force:  # a draft the clerk already began
        _fail(f"{target} 已存在，为免覆盖已起草的内容，未写入；确需覆盖请加 --force")
    from checker.safe_write import write_atomic

    try:
        if format is TemplateFormat.docx:
            write(markdown, target)
        else:
            write_atomic(target, markdown)
    except OSError as error:
        _fail(f"无法写入 {target}：{os_reason(error)}")
    typer.echo(f"已写入 {target}", err=True)


@app.command(cls=ChineseCommand)
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="绑定的地址（默认只对本机开放）"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口"),
    no_browser: bool = typer.Option(False, "--no-browser", help="不自动打开浏览器"),
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="同时检查的报告数（其余排队，队满时回复 503）"),
    token: Optional[str] = typer.Option(
        None,
        "--token",
        envvar="XXGK_SERVE_TOKEN",
        help="访问口令：用户须以 ?token=口令 打开页面（也可用环境变量 XXGK_SERVE_TOKEN）",
    ),
    allow: Optional[List[str]] = typer.Option(
        None, "--allow", help="只允许这些网络访问（可重复），如 --allow 10.0.0.0/8 --allow 192.168.1.0/24"
    ),
):
    """启动检查页面：在浏览器中拖入报告即可看到问题（需安装 xxgk-checker[serve]）；--host 0.0.0.0 供内网使用。"""
    try:
        import uvicorn

        from checker.serve.app import create_app
    except ImportError:
        _fail("xxgk serve 需要可选组件：pip install 'xxgk-checker[serve]'")
    import ipaddress
    import logging

    try:
        networks = tuple(ipaddress.ip_network(item.strip(), strict=False) for item in allow or ())
    except ValueError as error:
        _fail(f"--allow 的网络写法有误：{error}（应如 10.0.0.0/8 或 192.168.1.0/24）")
    if token is not None and len(token) < 8:
        _fail("--token 的口令太短：至少 8 个字符")
    if host not in ("127.0.0.1", "localhost", "::1") and not token and not networks:
        typer.echo(
            f"注意：服务绑定在 {host}，本机以外的电脑也可能访问；只在可信的网络中这样做，或加 --token / --allow",
            err=True,
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/" + (f"?token={token}" if token else "")
    typer.echo(f"检查页面：{url}（按 Ctrl-C 停止）", err=True)
    if not no_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    try:
        uvicorn.run(
            create_app(host, workers=workers, token=token, allow=networks),
            host=host,
            port=port,
            log_level="warning",
            server_header=False,
            limit_concurrency=200,
            timeout_keep_alive=5,
        )  # idle and crowding connections bounded
    except OSError as error:
        _fail(f"无法在 {host}:{port} 启动服务：{os_reason(error)}")


@app.command(cls=ChineseCommand)
def completion(shell: str = typer.Argument(..., help="bash、zsh、fish 或 powershell")):
    """输出命令补全脚本，如 bash：xxgk completion bash >> ~/.bashrc（zsh 写入 ~/.zshrc）。"""
    from typer.completion import get_completion_script

    if shell not in ("bash", "zsh", "fish", "powershell", "pwsh"):
        _fail("shell 应为 bash、zsh、fish 或 powershell")
    sys.stdout.write(get_completion_script(prog_name="xxgk", complete_var="_XXGK_COMPLETE", shell=shell) + "\n")


class Interrupted(BaseException):
    """Ctrl-C, raised past click (which would print "Aborted!" and exit 1) to main()."""


def _interrupted(signum, frame):
    raise Interrupted()


def main():
    import signal

    signal.signal(signal.SIGINT, _interrupted)
    if "_XXGK_COMPLETE" in os.environ:  # a shell asking for completions (xxgk completion SHELL)
        from typer.completion import completion_init

        completion_init()
    # the patterns compiled on an earlier run of the command (a third of a cold check); not for
    # what checks nothing
    command = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    compiles = command is not None and not {"--version", "--help", "-h"} & set(sys.argv[1:])
    if compiles:
        from checker import regex_cache

        regex_cache.warm(command)
    try:
        app(prog_name="xxgk")
    except SystemExit:  # how a finished command leaves: what it compiled is kept for the next run
        if compiles:
            try:
                regex_cache.keep(command)
            except Exception:  # noqa: BLE001 - a cache never costs the run its result
                pass
        raise
    except (Interrupted, KeyboardInterrupt):  # one line, the conventional status; outputs are atomic
        sys.stderr.write("\nxxgk: 已中断\n")
        sys.stderr.flush()
        sys.stdout.flush()
        # at once: every output is written atomically and a staging folder is already removed, and
        # a process pool whose workers were just ended must not hold the exit joining its threads
        os._exit(130)
