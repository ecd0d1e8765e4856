"""summaries.jsonl.gz: every report an audit checked (the audited year's and the other years'
read as history), as the checks left it — before the cross-report stage — one JSON document a
line, gzip-compressed. `xxgk audit merge` reads the summaries of several audits (a province
each) and runs the cross-report stage, the scores and the report over all of them, so a national
audit never reads a report file twice. Data only (never pickle: a shard comes from elsewhere)."""

from __future__ import annotations

import gzip
import io
import json
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np

from checker.audit.similar import Signature
from checker.audit.summary import DocSummary, Excerpt
from checker.engine.finding import Finding, Suppression
from checker.ingest.document import Loc

NAME = "summaries.jsonl.gz"
SCHEMA = "xxgk-audit-summaries/1"
_KEPT = (
    "path agency agency_key kind year regime published due days_late title cells sections unassessed evaluated readable"
).split()


_DTYPES = {"uint32": np.uint32, "uint64": np.uint64}  # (a name from a file never reaches numpy)


class ShardError(ValueError):
    pass


def _loc(loc: Loc | None):
    return None if loc is None else [loc.line, loc.column, loc.page, loc.unit, loc.cell, loc.bbox]


def _loc_back(data) -> Loc | None:
    if data is None:
        return None
    line, column, page, unit, cell, bbox = data
    return Loc(line, column, page, unit, tuple(cell) if cell else None, tuple(bbox) if bbox else None)


def _finding(f: Finding) -> dict:
    out = {k.name: getattr(f, k.name) for k in fields(Finding)}
    out["loc"] = _loc(f.loc)
    out["suppressed"] = [getattr(f.suppressed, k.name) for k in fields(Suppression)] if f.suppressed else None
    out["related"] = [_finding(r) for r in f.related]
    out["suspects"] = sorted(f.suspects, key=repr)
    return out


_SHARED_TEXT = ("code", "name", "title", "severity", "basis", "section", "topic")  # the same in every report


def _finding_back(data: dict) -> Finding:
    data = dict(data)
    for key in _SHARED_TEXT:
        if isinstance(data.get(key), str):
            data[key] = sys.intern(data[key])
    data["loc"] = _loc_back(data["loc"])
    data["suppressed"] = Suppression(*data["suppressed"]) if data["suppressed"] else None
    data["related"] = tuple(_finding_back(r) for r in data["related"])
    data["suspects"] = frozenset(tuple(s) if isinstance(s, list) else s for s in data["suspects"])
    return Finding(**data)


def dump(doc: DocSummary) -> str:
    data = {k: getattr(doc, k) for k in _KEPT}
    data["cells"] = dict(doc.cells)
    data["evaluated"] = list(doc.evaluated)
    data["findings"] = [_finding(f) for f in doc.findings]
    data["excerpts"] = [[e.text, e.start, e.end, e.cells, e.hit] for e in doc.excerpts]
    data["locs"] = {key: _loc(loc) for key, loc in doc.locs.items()}
    data["signatures"] = {
        ordinal: [m.scheme, str(m.hashvalues.dtype), m.hashvalues.tolist()] for ordinal, m in doc.signatures.items()
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def load(line: str) -> DocSummary:
    data = json.loads(line)
    doc = DocSummary(**{k: data[k] for k in _KEPT})
    doc.evaluated = tuple(data["evaluated"])
    doc.findings = [_finding_back(f) for f in data["findings"]]
    doc.excerpts = [Excerpt(*e) for e in data["excerpts"]]
    doc.locs = {key: _loc_back(loc) for key, loc in data["locs"].items()}
    doc.signatures = {
        ordinal: Signature(np.array(values, dtype=_DTYPES[dtype]), scheme)
        for ordinal, (scheme, dtype, values) in data["signatures"].items()
    }
    return doc.shared()


def write(path: Path, docs: list[DocSummary]) -> None:
    """In the order checked (the order a merge of shards in the same order gives back)."""
    # mtime 0: the same summaries make the same bytes (a merge of shards equals the whole audit)
    with gzip.GzipFile(path, "wb", compresslevel=1, mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8") as handle:
        handle.write(json.dumps({"schema": SCHEMA}) + "\n")
        for doc in docs:
            handle.write(dump(doc) + "\n")


class Background:
    """write() in a forked process, from its snapshot of the summaries as they are now — the
    cross-report stage goes on adding to them in this one meanwhile (2 s of the audit's serial
    tail at 10,000 reports). Where processes cannot be forked it writes at once."""

    def __init__(self, path: Path, docs: list[DocSummary]):
        import multiprocessing

        from checker import parallel

        self.process = None
        if not parallel.can_fork(len(docs)):
            write(path, docs)
            return
        self.process = multiprocessing.get_context("fork").Process(target=_write_quietly, args=(path, docs))
        self.process.start()

    def join(self) -> None:
        if self.process is None:
            return
        self.process.join()
        if self.process.exitcode != 0:
            raise OSError(f"无法写入 {NAME}（写入进程退出码 {self.process.exitcode}）")

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _write_quietly(path: Path, docs: list[DocSummary]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    write(path, docs)


def read(folder: Path) -> list[DocSummary]:
    """The summaries of an audit's output folder (the reports of every year it read)."""
    path = folder / NAME if folder.is_dir() else folder
    if not path.is_file():
        raise ShardError(f"{folder} 不是 xxgk 审计的输出目录（没有 {NAME}；请用本版本的 xxgk audit 重新生成）")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            head = json.loads(handle.readline() or "null")
            if not isinstance(head, dict) or head.get("schema") != SCHEMA:
                raise ShardError(f"{path} 不是 {SCHEMA} 格式")
            return [load(line) for line in handle if line.strip()]
    except ShardError:
        raise
    except (OSError, EOFError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise ShardError(f"无法读取审计汇总 {path}：{error}") from error
