"""`xxgk audit`: check every report in parallel (one bad file never stops the batch), run the
cross-report rules on their summaries, score them and write the audit report."""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from checker.audit import cross, report, score
from checker.audit.agencies import agency_key
from checker.audit.output import staging
from checker.audit.similar import signature
from checker.audit.summary import DocSummary, summarize

_STATE: dict = {}


def _init(rules, similar_sections) -> None:
    _STATE["rules"] = rules
    _STATE["deadline"] = next((r.params for r in rules if r.code == "D601"), None)
    _STATE["sections"] = similar_sections


def analyse_one(path: str) -> DocSummary:
    """One report, in a worker process; a defect of ours becomes E001 on that file."""
    from checker import pipeline

    rules = _STATE["rules"]
    try:
        result = pipeline.check_path(path, rules=rules)
    except Exception as error:  # noqa: BLE001 — the batch goes on
        if os.environ.get("XXGK_DEBUG"):
            raise
        result = pipeline.internal_error(path, error, rules)
    return summarize(result, _STATE["deadline"], _STATE["sections"])


def _progress(total: int, quiet: bool):
    """A progress bar on a terminal; nothing in CI or when output is piped."""
    if quiet or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    progress = Progress("检查报告", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True)
    progress.start()
    progress.task = progress.add_task("audit", total=total)
    return progress


def check_all(paths: list[str], rules, jobs: int, similar_sections, quiet: bool = False) -> list[DocSummary]:
    _init(rules, similar_sections)
    progress = _progress(len(paths), quiet)
    out: list[DocSummary] = []
    try:
        if jobs <= 1 or len(paths) < 4:
            for path in paths:
                out.append(analyse_one(path))
                if progress:
                    progress.advance(progress.task)
        else:
            with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(rules, similar_sections)) as pool:
                for summary in pool.map(analyse_one, paths, chunksize=max(1, min(16, len(paths) // (jobs * 8) or 1))):
                    out.append(summary)
                    if progress:
                        progress.advance(progress.task)
    finally:
        if progress:
            progress.stop()
    return out


def _from_findings_json(path: Path, similar_sections) -> list[DocSummary]:
    """Summaries from an earlier audit's findings.json (its `facts` block)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for doc in data.get("documents", []):
        facts = doc.get("facts") or {}
        summary = DocSummary(doc.get("path", ""), doc.get("agency"), facts.get("agency_key") or agency_key(doc.get("agency")),
                             doc.get("agency_kind", "unknown"), doc.get("year"), doc.get("regime"), doc.get("published"),
                             cells=facts.get("cells", {}), sections=facts.get("sections", {}))
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
        if path.is_file() and path.suffix == ".json":
            try:
                out += _from_findings_json(path, similar_sections)
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise HistoryError(f"无法读取往年审计结果 {path}：{error}") from error
        elif path.is_dir() and (path / "findings.json").is_file():
            out += load_history([path / "findings.json"], rules, jobs, similar_sections, expand)
        else:
            out += check_all(expand([str(path)]), rules, jobs, similar_sections, quiet=True)
    return out


def audit(paths: list[str], outdir: Path, rules, jobs: int, history_paths: list[Path], weights: dict, expand,
          quiet: bool = False, force: bool = False) -> list[DocSummary]:
    n506 = next((r for r in rules if r.code == "N506"), None)
    similar_sections = tuple(n506.params.get("sections", ["一", "五"])) if n506 else ()
    docs = check_all(paths, rules, jobs, similar_sections, quiet)
    history = load_history(history_paths, rules, jobs, similar_sections, expand) if history_paths else []
    cross.run(docs + history, len(docs), rules)
    for doc in docs:
        doc.score = score.score(doc.findings, weights)
    with staging(outdir, force) as folder:  # complete, or not at all
        report.write(docs, folder, rules, history=len(history))
    return docs
