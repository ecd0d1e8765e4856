"""What every start would otherwise build again, built once per machine and user: the two Lark
parsers (Lark saves a built LALR parser and loads it next time, 40-60 ms saved per grammar), and
as JSON the shipped rule, vocabulary and layout YAML as parsed (resources.load_yaml: 20 ms and
the PyYAML import) and the GB/T 2260 names derived from the GB2260 package (vocab: 30 ms); checker/regex_cache.py keeps
the compiled regular expressions here too (80 ms).

Lark reads its cache with pickle, which runs code a crafted file contains. So the cache lives in
the user's own cache folder (XDG_CACHE_HOME or ~/.cache, then xxgk-checker/), which must be a
directory owned by this user that nobody else can write to; a cache file is used only when it
is ours and only we can write it. Anything else — another user's folder, a shared /tmp, a
read-only home — and the parser is built in memory as before. Deleting the folder is always
safe. XXGK_NO_CACHE=1 turns the cache off."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import threading
from pathlib import Path


def lalr(grammar: Path, **options):
    """Lark's LALR parser for the grammar file, from the cache when it is safe to."""
    from lark import Lark

    text = grammar.read_text(encoding="utf-8")
    place = cache_file(grammar.name)
    if place is not None:
        try:
            parser = Lark(text, parser="lalr", cache=str(place), **options)
            if place.exists():
                os.chmod(place, 0o600)
            return parser
        except Exception:  # an unreadable or stale cache file: build without it
            pass
    return Lark(text, parser="lalr", **options)


def cached_json(name: str, build, keep=lambda value: True):
    """The JSON value `build()` returns, read from the cache when it is there and safe to (JSON
    runs no code; the file must still be ours alone, as it decides what rules see), else built
    and saved for the next start if `keep(value)`. `name` must change whenever what build()
    returns can."""
    place = cache_file(name + ".json", ".json")
    if place is not None and place.exists():
        try:
            with open(place, encoding="utf-8") as file:
                stored = json.load(file)
            if isinstance(stored, dict) and stored.get("sha256") == _digest(stored.get("value")):
                return stored["value"]
        except (OSError, ValueError):
            pass  # unreadable, cut short or altered: built again below (and written over)
    value = build()
    if place is not None and keep(value):
        temporary = place.with_name(f"{place.name}.{os.getpid()}.{threading.get_ident()}.tmp")  # this writer's own
        try:  # written whole under a private temporary name, then moved into place
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump({"sha256": _digest(value), "value": value}, file, ensure_ascii=False)
            os.replace(temporary, place)
        except OSError:  # a full disk, a read-only folder: the next start builds it again
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return value


def _digest(value) -> str:
    """A checksum of a cached value, as the regex cache has: an entry damaged or altered on disk
    is rebuilt, never blamed on the shipped rule files."""
    import hashlib

    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def cache_base() -> Path | None:
    """$XDG_CACHE_HOME/xxgk-checker, or ~/.cache/xxgk-checker; None when neither is an absolute
    path (the XDG spec ignores a relative XDG_CACHE_HOME; an empty HOME must not mean "/" or the
    current folder)."""
    given = os.environ.get("XDG_CACHE_HOME", "")
    if given and os.path.isabs(given):
        return Path(given) / "xxgk-checker"
    home = os.environ.get("HOME", "")
    if not home or not os.path.isabs(home) or home == "/":
        return None
    return Path(home) / ".cache" / "xxgk-checker"


def cache_file(name: str, suffix: str = ".lark-cache") -> Path | None:
    if os.environ.get("XXGK_NO_CACHE") or not hasattr(os, "getuid"):
        return None
    from checker import __version__

    base = cache_base()
    if base is None:
        return None
    try:
        base.mkdir(parents=True, mode=0o700, exist_ok=True)
        if not _private(base):
            return None
        place = base / f"{Path(name).stem}-{__version__}{suffix}"
        if place.exists() and not _private(place):
            return None
        return place
    except OSError:
        return None


def _private(path: Path) -> bool:
    """Owned by this user, not a link, and writable by nobody else."""
    info = os.lstat(path)
    return not stat.S_ISLNK(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022
