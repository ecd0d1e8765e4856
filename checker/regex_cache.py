"""Regular expressions compiled once per machine and user, not on every start.

A one-file check compiles about 300 patterns — the vocabularies' alternations, the rules' own
patterns, each module's — which is a third of a cold start (80 ms of 250). What Python's `re`
makes of a pattern is a list of integers for its matching engine; this module keeps those lists
in the user cache (checker/user_cache.py: a private folder; JSON, which runs no code, and the
integers as raw bytes) and, at the next start, puts the patterns they make into `re`'s own
cache before any module asks for them, so that `re.compile` finds them there.

The entry of a pattern is keyed by its text and flags, so a changed pattern is simply a new one;
the file is keyed by the Python version and the engine's MAGIC number, since the integers mean
something else in another version. The engine's own check of a list it is given does not catch
every damaged one (a flipped integer can crash it), so the file's first line is a checksum of
the rest (CRC-32: the folder is the user's own, what is guarded against is a damaged file),
and a file that does not match it is not read at all. Anything unexpected only means the
patterns compile as usual. Only the CLI uses the cache (`warm` at start, `keep` at exit)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import threading
import zlib
from array import array

# no more than re's cache takes at a start (it holds 512; warm leaves room for the rest): each
# command keeps its own file, since each compiles its own set (a check, an audit, an explanation)
MAX_ENTRIES = 440
_loaded: set[tuple[str, int]] = set()


def _engine():
    """The private pieces of `re` this needs, or None where they are not what this was built
    for (another Python implementation, a version that caches or compiles differently)."""
    try:
        import _sre
        from re import _compiler, _parser
    except ImportError:
        return None
    if not isinstance(getattr(re, "_cache", None), dict) or not hasattr(_compiler, "_code"):
        return None
    if sys.implementation.name != "cpython" or array("I").itemsize != _sre.CODESIZE:
        return None
    return _sre, _compiler, _parser


def _place(command: str):
    engine = _engine()
    if engine is None:
        return None
    from checker.user_cache import cache_file

    command = command if command.replace("-", "").isalpha() and command.isascii() else "other"
    return cache_file(f"regex-{command}-py{sys.version_info[0]}{sys.version_info[1]}-{engine[0].MAGIC}", ".bin")


def warm(command: str) -> int:
    """Put every pattern cached for the command into `re`'s cache; how many were put there."""
    place = _place(command)
    if place is None or not place.exists():
        return 0
    _sre = _engine()[0]
    count = 0
    for source, flags, final_flags, code, groups, groupindex, indexgroup in _read(place):
        if len(re._cache) >= re._MAXCACHE - 64:  # room left for what is not cached
            break
        try:
            compiled = _sre.compile(source, final_flags, code, groups, groupindex, tuple(indexgroup))
        except Exception:  # noqa: BLE001 - an entry the engine refuses: that pattern compiles as usual
            continue
        re._cache[str, source, flags] = compiled
        _loaded.add((source, flags))
        count += 1
    return count


def _read(place) -> list[tuple]:
    """The entries of a cache file whose checksum holds, each with its code as a list; none
    otherwise. The file: the checksum of the rest, a line of JSON (each pattern: source, flags,
    flags compiled, length of its code, groups, group names both ways), then every code."""
    try:
        checksum, _, rest = place.read_bytes().partition(b"\n")
        if str(zlib.crc32(rest)).encode() != checksum:
            return []
        head, _, raw = rest.partition(b"\n")
        described = json.loads(head)
        codes = array("I")
        codes.frombytes(raw)
        entries, at, ints = [], 0, codes.tolist()
        for source, flags, final_flags, length, groups, groupindex, indexgroup in described:
            entries.append((source, flags, final_flags, ints[at : at + length], groups, groupindex, indexgroup))
            at += length
    except (OSError, ValueError, TypeError):  # (TypeError: entries not of the shape written)
        return []
    return entries if at == len(ints) else []


def _entry(source: str, flags: int, engine) -> tuple:
    """What `re` compiles the pattern to, as re._compiler.compile makes it."""
    _sre, _compiler, _parser = engine
    parsed = _parser.parse(source, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return source, flags, flags | parsed.state.flags, list(code), parsed.state.groups - 1, groupindex, indexgroup


def keep(command: str) -> int:
    """Save the patterns this run of the command compiled that its file does not hold yet (with
    those it does); how many were added. The first run after an install or an upgrade of Python
    pays for it."""
    place = _place(command)
    if place is None:
        return 0
    engine = _engine()
    new = [
        (key[1], key[2])
        for key in list(re._cache)
        if key[0] is str and (key[1], key[2]) not in _loaded and not key[2] & re.DEBUG
    ]
    if not new or len(_loaded) >= MAX_ENTRIES:
        return 0
    entries = _read(place) if place.exists() else []
    known = {(e[0], e[1]) for e in entries}
    added = 0
    for source, flags in new:
        if len(entries) >= MAX_ENTRIES:
            break
        if (source, flags) in known:
            continue
        try:
            entries.append(_entry(source, flags, engine))
        except Exception:  # noqa: BLE001 - a pattern this cannot describe is left out
            continue
        added += 1
    if not added:
        return 0
    head = json.dumps([[e[0], e[1], e[2], len(e[3]), e[4], e[5], e[6]] for e in entries], ensure_ascii=False)
    rest = head.encode("utf-8") + b"\n" + array("I", [i for e in entries for i in e[3]]).tobytes()
    temporary = place.with_name(f"{place.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:  # written whole under a private temporary name, then moved into place
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(str(zlib.crc32(rest)).encode() + b"\n" + rest)
        os.replace(temporary, place)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return 0
    _loaded.update((e[0], e[1]) for e in entries)
    return added
