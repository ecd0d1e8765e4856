"""Compiled patterns kept between runs (checker/regex_cache.py): a pattern taken from the cache
matches exactly as one compiled afresh, a damaged file is not read, and a second CLI run checks
a report as the first did while taking its patterns from the cache."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from checker import regex_cache
from conftest import EXAMPLES

pytestmark = pytest.mark.skipif(
    regex_cache._engine() is None or not hasattr(os, "getuid"), reason="a CPython engine and POSIX file ownership"
)

# patterns of the kinds the rules write: groups named and not, lookarounds, large classes, flags
PATTERNS = [
    (r"(?P<n>\d+)\s*件(?!以上)", 0),
    (r"(?<![\d年])(\d{1,3})\s*月", 0),
    (r"[一-鿿]{2,}?(?:省|市|县)", 0),
    (r"^\s*(?:一|二|三)、", re.MULTILINE),
    (r"abc|ABD", re.IGNORECASE),
    (r"(a)(b)?(?P<c>c)|d", 0),
]
TEXTS = [
    "共收到申请45件，其中12件以上",
    "2024年3月5日与 7月1日",
    "云溪省东山市西河县",
    "前言\n一、总体情况\n二、",
    "xAbD abc",
    "abcd",
    "",
]


@pytest.fixture()
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_NO_CACHE", raising=False)
    monkeypatch.setattr(regex_cache, "_loaded", set())
    saved = dict(re._cache)
    re._cache.clear()  # (as at a start: the suite's own patterns would leave no room)
    yield tmp_path
    re._cache.clear()
    re._cache.update(saved)


def _unique(source: str) -> str:
    return source + "(?#regex-cache-test)"  # a pattern no other test has put in re's cache


def _results(compiled: re.Pattern):
    return [(m.span(), m.groups(), m.groupdict()) for text in TEXTS for m in compiled.finditer(text)]


def test_a_pattern_from_the_cache_matches_as_one_compiled_afresh(private_cache):
    for source, flags in PATTERNS:
        re.compile(_unique(source), flags)
    assert regex_cache.keep("check") >= len(PATTERNS)
    for source, flags in PATTERNS:
        del re._cache[str, _unique(source), flags]
    regex_cache._loaded.clear()
    assert regex_cache.warm("check") >= len(PATTERNS)
    for source, flags in PATTERNS:
        cached = re._cache[str, _unique(source), flags]
        assert re.compile(_unique(source), flags) is cached  # what re.compile now returns
        fresh = re._compiler.compile(_unique(source), flags)
        assert (cached.pattern, cached.flags, cached.groupindex) == (fresh.pattern, fresh.flags, fresh.groupindex)
        assert _results(cached) == _results(fresh), source


def test_a_damaged_cache_file_is_not_read(private_cache):
    re.compile(_unique(PATTERNS[0][0]))
    regex_cache.keep("check")
    place = regex_cache._place("check")
    data = bytearray(place.read_bytes())
    data[-9] ^= 0x40  # one bit of one pattern's code: the engine could crash on it
    place.write_bytes(bytes(data))
    del re._cache[str, _unique(PATTERNS[0][0]), 0]
    regex_cache._loaded.clear()
    assert regex_cache.warm("check") == 0 and (str, _unique(PATTERNS[0][0]), 0) not in re._cache
    place.write_bytes(b"12\n[]\n")  # a checksum that does not hold
    assert regex_cache.warm("check") == 0
    import zlib

    for rest in (
        b"[[1, 2]]\n",
        b'{"a": 1}\n',
        b'[["x", 0, 32, 9, 0, {}, [null]]]\n\x01',
    ):  # it holds; the shape does not
        place.write_bytes(str(zlib.crc32(rest)).encode() + b"\n" + rest)
        assert regex_cache.warm("check") == 0


def test_a_second_run_takes_its_patterns_from_the_cache_and_finds_the_same(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("XXGK_NO_CACHE", None)
    report = str(EXAMPLES / "clean-2019.md")
    command = [sys.executable, "-m", "checker", "check", report, "--format", "json"]
    first = subprocess.run(command, capture_output=True, env=env, timeout=120)
    (place,) = (tmp_path / "xxgk-checker").glob("regex-check-*")  # the check command's own file
    written = place.stat().st_mtime_ns
    probe = "from checker import regex_cache; print(regex_cache.warm('check'))"
    warmed = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env, text=True, timeout=60)
    second = subprocess.run(command, capture_output=True, env=env, timeout=120)
    assert int(warmed.stdout) > 100  # the vocabularies' and the rules' patterns, at least
    assert second.returncode == first.returncode and second.stdout == first.stdout
    assert place.stat().st_mtime_ns == written  # nothing new to keep: the file is not written again


def test_a_file_holds_no_more_than_a_start_can_use(private_cache):
    """Patterns a run compiles beyond the cap are not kept (a command that compiled new ones on
    every run would otherwise grow its file, and every start would read more of it)."""
    for index in range(regex_cache.MAX_ENTRIES + 40):
        re.compile(_unique(f"甲{index}乙"))
    regex_cache.keep("check")
    assert len(regex_cache._read(regex_cache._place("check"))) == regex_cache.MAX_ENTRIES
    assert regex_cache._place("audit") != regex_cache._place("check")
    assert regex_cache._place("../../x").name.startswith("regex-other-")
