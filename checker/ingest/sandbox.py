"""Readers of untrusted binary formats (a PDF's text and layout, OCR, LibreOffice's conversion) run
in a child process under OS limits: its address space (RLIMIT_AS), its CPU time (RLIMIT_CPU) and a
wall-clock deadline after which its whole process group — Tesseract or soffice included — is
killed. A file that exceeds one gives an IngestError naming the limit (finding E008), never a hang,
an out-of-memory kill of the checker or a traceback. The limits are generous for any real report
and set by environment (XXGK_LIMIT_MEMORY_MB, XXGK_LIMIT_SECONDS, XXGK_LIMIT_OCR_SECONDS,
XXGK_LIMIT_OFFICE_SECONDS); docs/limits.md lists them.

The child is forked, so it starts at once with everything imported; it sends its result back
pickled through a pipe. Where the OS has no fork the reader runs in the process, as before."""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from checker.ingest.document import IngestError

_HEADER = struct.Struct("!Q")


class Cancelled(BaseException):
    """The work was called off (the page's client went away): its reader was killed. Not an
    Exception: no handler for a reader's failures may turn it into a finding."""


_CALLED_OFF = threading.local()  # per thread: an Event a server sets when its client goes away


@contextlib.contextmanager
def cancellable(event: threading.Event):
    """Within it, on this thread, a bounded reader stops — its process group killed — as soon as
    `event` is set (the server's check whose client went away: OCR or LibreOffice stop too)."""
    previous = getattr(_CALLED_OFF, "event", None)
    _CALLED_OFF.event = event
    try:
        yield
    finally:
        _CALLED_OFF.event = previous


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 1024  # address space the reader may add to what the checker already maps
    seconds: float = 30  # to read a document (CPU and wall clock)
    ocr_seconds: float = 60  # OCR of a scan of a few pages …
    ocr_seconds_per_page: float = 8  # … and this for each page past the fifth …
    ocr_seconds_cap: float = 600  # … up to this
    office_seconds: float = 90  # LibreOffice's conversion of a .doc, .wps, .odt or .rtf (its start included)
    check_cpu_seconds: float = 60  # the checker's own CPU time on one file, its bounded readers aside

    def ocr_budget(self, pages: int) -> float:
        return min(self.ocr_seconds_cap, self.ocr_seconds + max(0, pages - 5) * self.ocr_seconds_per_page)


def limits() -> Limits:
    """The limits, as the environment sets them (a bad value keeps the default)."""

    def number(name: str, default: float) -> float:
        try:
            value = float(os.environ.get(name, ""))
        except ValueError:
            return default
        return value if value > 0 else default

    base = Limits()
    return Limits(
        int(number("XXGK_LIMIT_MEMORY_MB", base.memory_mb)),
        number("XXGK_LIMIT_SECONDS", base.seconds),
        number("XXGK_LIMIT_OCR_SECONDS", base.ocr_seconds),
        base.ocr_seconds_per_page,
        max(base.ocr_seconds_cap, number("XXGK_LIMIT_OCR_SECONDS", base.ocr_seconds)),
        number("XXGK_LIMIT_OFFICE_SECONDS", base.office_seconds),
        number("XXGK_LIMIT_CHECK_SECONDS", base.check_cpu_seconds),
    )


class CheckTooLong(BaseException):
    """The checker's own work on one file passed its CPU-time limit (not an Exception: no handler
    of a stage's failures may swallow it)."""


@contextlib.contextmanager
def cpu_limit(seconds: float):
    """Within it, on the main thread, the process's own CPU time (its bounded readers' children
    aside) may grow by at most `seconds`: then CheckTooLong is raised where the work is. A file
    whose cost it decides — a pathology no reader bounds — ends in a finding, not a hang. Elsewhere
    (a server's worker threads, a system without setitimer) it does nothing."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise CheckTooLong(seconds)

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


class Extend:
    """Handed to the reader in the child: asks the parent for more wall-clock time (OCR of N pages)."""

    def __init__(self, write: Callable[[tuple], None] | None):
        self._write = write

    def __call__(self, seconds: float) -> None:
        if self._write is not None:
            self._write(("extend", seconds))


def _mapped_bytes() -> int:
    """The address space this process maps now (a forked child starts with its parent's)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(write_fd: int, limit: Limits, what: str, reader: Callable, args: tuple) -> None:
    import resource

    def send(message: tuple) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        os.write(write_fd, _HEADER.pack(len(data)))
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view) :]

    try:
        os.setsid()  # its own process group: the parent kills it and whatever it started at once
        budget = limit.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (_mapped_bytes() + budget,) * 2)
        cpu = int(limit.seconds + limit.ocr_seconds_cap) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        result = reader(*args, extend=Extend(send))
        send(("ok", result))
    except IngestError as error:
        send(("ingest", str(error), error.kind))
    except MemoryError:
        send(("memory",))
    except BaseException as error:  # noqa: BLE001 - said to the parent, which decides
        try:
            send(("error", type(error).__name__, str(error)[:500]))
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(0)


def run_bounded(what: str, reader: Callable, *args: Any, limit: Limits | None = None) -> Any:
    """reader(*args, extend=…) in a bounded child; its result, or IngestError. `what` names the
    work in messages ("PDF", "文字识别", "LibreOffice 转换")."""
    limit = limit or limits()
    if not hasattr(os, "fork") or os.environ.get("XXGK_NO_SANDBOX") == "1":
        return reader(*args, extend=Extend(None))
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its result comes back through the pipe
        os.close(read_fd)
        _child(write_fd, limit, what, reader, args)
    os.close(write_fd)
    deadline = time.monotonic() + limit.seconds
    buffer = bytearray()
    messages: list[tuple] = []
    timed_out = called_off = False
    event = getattr(_CALLED_OFF, "event", None)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            if event is not None and event.is_set():
                called_off = True
                break
            ready, _, _ = select.select([read_fd], [], [], min(left, 0.25 if event is not None else 1.0))
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            buffer += chunk
            while len(buffer) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(buffer)
                if len(buffer) < _HEADER.size + size:
                    break
                message = pickle.loads(bytes(buffer[_HEADER.size : _HEADER.size + size]))
                del buffer[: _HEADER.size + size]
                if message[0] == "extend":
                    deadline = max(deadline, time.monotonic() + float(message[1]))
                else:
                    messages.append(message)
    finally:
        os.close(read_fd)
        if timed_out or called_off:
            _kill_group(pid)
        _, status = os.waitpid(pid, 0)
        if not timed_out:
            _kill_group(pid)  # whatever the reader started and left behind
    if called_off:
        raise Cancelled(what)
    if timed_out:
        raise IngestError(
            f"{what}读取超时：超过 {limit.seconds:g} 秒的读取时限（文件可能经过构造），未能读取", kind="limit"
        )
    if messages:
        return _result(messages[-1], what, limit)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        raise IngestError(f"{what}读取耗时过长：超过 CPU 时间限制，未能读取", kind="limit")
    if os.WIFSIGNALED(status):
        raise IngestError(
            f"{what}读取时占用内存超过 {limit.memory_mb} MB 的限制（或被系统终止），未能读取", kind="limit"
        )
    raise IngestError(f"{what}读取失败（读取进程意外退出）", kind="unreadable")


def _result(message: tuple, what: str, limit: Limits) -> Any:
    if message[0] == "ok":
        return message[1]
    if message[0] == "ingest":
        raise IngestError(message[1], kind=message[2])
    if message[0] == "memory":
        raise IngestError(
            f"{what}读取时占用内存超过 {limit.memory_mb} MB 的限制（文件可能经过构造），未能读取", kind="limit"
        )
    raise IngestError(f"{what}无法解析（文件可能已损坏）：{message[1]}")


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
