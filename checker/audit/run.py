"""`xxgk audit`: check every report in parallel (one bad file never stops the batch), run the
cross-report rules on their summaries, score them and write the audit report."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import signal
import time
from collections import Counter
from pathlib import Path

from checker import collector, parallel
from checker.audit import cross, identity, report, score
from checker.audit.agencies import agency_key
from checker.audit.output import staging
from checker.engine.rules import rule_for
from checker.user_files import load_json
from checker.audit.similar import signature
from checker.audit.summary import Audited, DocSummary, summarize

_STATE: dict = {}


def _init(rules, similar_sections, worker: bool = False) -> None:
    if worker:  # Ctrl-C is the parent's to handle: a worker that saw it would print a traceback
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        collector.for_batch()  # the process checks reports and nothing else
    _STATE["rules"] = rules
    deadline = rule_for(rules, "deadline")
    _STATE["deadline"] = deadline.params if deadline else None
    _STATE["sections"] = similar_sections


def analyse_one(path: str) -> DocSummary:
    """One report, in a worker process; a defect of ours becomes E001 on that file."""
    from checker import pipeline

    result = pipeline.check_one(path, rules=_STATE["rules"])  # a defect of ours: E001 on this file
    return summarize(result, _STATE["deadline"], _STATE["sections"])


class _LogProgress:
    """Progress where no one watches a bar (a CI log, output piped to a file): a line every
    LOG_EVERY reports or LOG_SECONDS seconds, whichever comes first, so the log shows the audit
    is alive; and a last line when it is done."""

    def __init__(self, total: int):
        self.total, self.done, self.task = total, 0, None
        self.started = self.last = time.monotonic()
        self.logged = 0

    def advance(self, _task, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.done - self.logged >= LOG_EVERY or now - self.last >= LOG_SECONDS:
            self._line(now)

    def _line(self, now: float) -> None:
        self.last, self.logged = now, self.done
        share = f"{self.done * 100 // self.total}%" if self.total else "—"
        print(
            f"已检查 {self.done}/{self.total} 份报告（{share}），用时 {now - self.started:.0f} 秒",
            file=sys.stderr,
            flush=True,
        )

    def stop(self) -> None:
        if self.done != self.logged:
            self._line(time.monotonic())


LOG_EVERY, LOG_SECONDS = 100, 10.0


def _progress(total: int, quiet: bool):
    """A progress bar on a terminal; log lines in CI or when output is piped; nothing when quiet."""
    if quiet:
        return None
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return _LogProgress(total)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    progress = Progress("检查报告", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True)
    progress.start()
    progress.task = progress.add_task("audit", total=total)
    return progress


def analyse_chunk(paths: list[str]) -> list[DocSummary]:
    return [analyse_one(path) for path in paths]


def _died(path: str) -> DocSummary:
    """A report whose worker process died twice on it (killed, out of memory): a finding."""
    from checker import pipeline

    return summarize(pipeline.worker_died(path, _STATE["rules"]), _STATE["deadline"], _STATE["sections"])


def check_all(paths: list[str], rules, jobs: int, similar_sections, quiet: bool = False) -> list[DocSummary]:
    _init(rules, similar_sections)
    progress = _progress(len(paths), quiet)
    results: list[DocSummary] = []
    serial = jobs <= 1 or len(paths) < 4
    try:
        with collector.batch() if serial else contextlib.nullcontext():
            done = (
                ((path, analyse_one(path)) for path in paths)
                if serial
                else parallel.ordered(analyse_chunk, paths, jobs, _init, (rules, similar_sections, True), _died)
            )
            for _, summary in done:
                results.append(summary.shared())
                if progress:
                    progress.advance(progress.task, 1)
    finally:
        if progress:
            progress.stop()
    return results


def _documents(path: Path):
    """The documents of a findings.json as the audit writes it — a document a line — read a line
    at a time (an iterator), so its size is bounded neither by memory nor by what a user's JSON
    file may be (32 MB: a 10,000-report audit's is larger); None for a file laid out otherwise,
    which is read whole."""
    if not path.is_file():
        return None
    handle = open(path, encoding="utf-8-sig")
    head = handle.readline(1 << 16)
    if not (head.startswith("{") and head.rstrip("\n").endswith('"documents":[')):
        handle.close()
        return None
    return _lines(handle, path)


def _lines(handle, path: Path):
    from checker.user_files import MAX_BYTES, UserFileError, _shallow_text

    with handle:
        for line in iter(lambda: handle.readline(MAX_BYTES + 1), ""):
            text = line.rstrip("\n").removesuffix(",")
            if text == "]}" or not text:
                continue
            if len(line) > MAX_BYTES:
                raise HistoryError(f"往年审计结果 {path} 中有一份报告的记录过大（上限 {MAX_BYTES} 字节）")
            try:
                _shallow_text(text, "往年审计结果", path)
                yield json.loads(text)
            except (UserFileError, ValueError, RecursionError) as error:
                raise HistoryError(f"往年审计结果 {path} 不是有效的 JSON：{error}") from None


def _from_findings_json(path: Path, similar_sections) -> list[DocSummary]:
    """Summaries from an earlier audit's findings.json (its `facts` block)."""
    documents = _documents(path)
    if documents is None:
        data = load_json(path, "往年审计结果")
        documents = data.get("documents") if isinstance(data, dict) else None
        if not isinstance(documents, list):
            raise HistoryError(f"往年审计结果 {path} 不是 xxgk 审计的 findings.json（缺少 documents 列表）")
    out = []
    for doc in documents:
        if not isinstance(doc, dict):
            raise HistoryError(f"往年审计结果 {path} 不是 xxgk 审计的 findings.json（documents 中有非映射的项）")
        facts = doc.get("facts") or {}
        if (
            not isinstance(facts, dict)
            or not isinstance(facts.get("cells", {}), dict)
            or not isinstance(facts.get("sections", {}), dict)
        ):
            raise HistoryError(f"往年审计结果 {path} 中 {doc.get('path')!r} 的 facts 不是映射")
        summary = DocSummary(
            doc.get("path", ""),
            doc.get("agency"),
            facts.get("agency_key") or agency_key(doc.get("agency")),
            doc.get("agency_kind", "unknown"),
            doc.get("year"),
            doc.get("regime"),
            doc.get("published"),
            cells=facts.get("cells", {}),
            sections=facts.get("sections", {}),
            score=doc.get("score") if isinstance(doc.get("score"), (int, float)) else None,
        )
        for ordinal in similar_sections:
            if ordinal in summary.sections:
                values = signature(summary.sections[ordinal])
                if values is not None:
                    summary.signatures[ordinal] = values
        out.append(summary)
    return out


class HistoryError(ValueError):
    pass


def load_history(paths: list[Path], rules, jobs: int, similar_sections, expand) -> list[DocSummary]:
    out: list[DocSummary] = []
    for path in paths:
        if path.suffix == ".json" and not path.is_dir():  # a findings.json (any other file is refused)
            try:
                out += _from_findings_json(path, similar_sections)
            except HistoryError:
                raise
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
                raise HistoryError(f"无法读取往年审计结果 {path}：{error}") from error
        elif path.is_dir() and (path / "findings.json").is_file():
            out += load_history([path / "findings.json"], rules, jobs, similar_sections, expand)
        else:
            out += check_all(expand([str(path)]), rules, jobs, similar_sections, quiet=True)
    return out


def audited_year(docs: list[DocSummary], given: int | str | None) -> tuple[int | None, str]:
    """The report year an audit is of: the one asked for, else the batch's most frequent
    (the later on a tie), else none when no report says its year; "all" audits every year."""
    if given == "all":
        return None, "all"
    if given is not None:
        return given, "given"
    years = Counter(d.year for d in docs if d.year)
    if not years:
        return None, "none"
    return max(years.items(), key=lambda item: (item[1], item[0]))[0], "frequent"


def audit(
    paths: list[str],
    outdir: Path,
    rules,
    jobs: int,
    history_paths: list[Path],
    weights: dict,
    expand,
    quiet: bool = False,
    force: bool = False,
    roster=None,
    year: int | str | None = None,
) -> Audited:
    checked = check_all(paths, rules, jobs, _similar_sections(rules), quiet)
    return finish(checked, outdir, rules, jobs, history_paths, weights, expand, force, roster, year)


def _similar_sections(rules) -> tuple:
    n506 = rule_for(rules, "similar-text")
    return tuple(n506.params["sections"]) if n506 else ()


def merge(shards: list[Path], outdir: Path, rules, jobs: int, history_paths, weights, expand, **options) -> Audited:
    """`xxgk audit merge`: the audits of several shards (a province each) as one, from their
    summaries — the cross-report stage (雷同 across shards, carry-over), the scores, the ranking
    and the report over all of them; no report file is read again."""
    from checker.audit import shard

    checked = [doc for folder in shards for doc in shard.read(folder)]
    return finish(checked, outdir, rules, jobs, history_paths, weights, expand, **options)


def finish(
    checked: list[DocSummary],
    outdir: Path,
    rules,
    jobs: int,
    history_paths,
    weights,
    expand,
    force: bool = False,
    roster=None,
    year: int | str | None = None,
) -> Audited:
    """Everything after the checks: the year, history, identities, the cross-report stage,
    scores and the report (written with the summaries a merge reads back)."""
    from checker.audit import shard

    similar_sections = _similar_sections(rules)
    with staging(outdir, force) as folder:  # complete, or not at all
        summaries = shard.Background(folder / shard.NAME, checked)  # as checked: before the cross stage adds to them
        try:
            done = _finish(checked, folder, rules, jobs, history_paths, weights, expand, roster, year, similar_sections)
            summaries.join()
        finally:
            summaries.stop()
        return done


def _finish(checked, folder, rules, jobs, history_paths, weights, expand, roster, year, similar_sections) -> Audited:
    year, chosen = audited_year(checked, year)
    # a report of another year in the folder is history (carry-over, trends), never audited or
    # counted as that year's; a report whose year could not be read stays in the audit
    docs = [d for d in checked if year is None or d.year in (None, year)]
    others = [d for d in checked if year is not None and d.year not in (None, year)]
    history = load_history(history_paths, rules, jobs, similar_sections, expand) if history_paths else []
    identity.resolve(docs + others + history, roster)  # one agency, one key: roster, short names, slips
    batch = cross.Batch(docs + others + history, len(docs), roster, year=year)
    cross.run(batch, rules)  # every batch check of the registry
    docs += batch.absent  # who did not publish: a line each, after the reports
    parents = None
    if roster:
        from checker.audit.roster import parents as roster_parents

        parents = roster_parents(roster)
    for doc in docs + others:
        doc.score = score.absent(weights) if doc.absent else score.score(doc.findings, weights)
    owed = len([m for m in roster if year is None or m.expected(year)]) if roster else None
    result = Audited(docs, year, chosen, others, owed)
    report.write(
        docs,
        folder,
        rules,
        history=len(history) + len(others),
        parents=parents,
        audited=result,
        history_docs=history,
        jobs=jobs,
    )
    return result
