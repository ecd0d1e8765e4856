"""The Lark parsers and derived data are cached in the user's own cache folder, never loaded from
a file someone else could have written (Lark reads its cache with pickle; the JSON decides what
the rules see)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from checker.resources import grammar_path
from checker.user_cache import cache_file, cached_json, lalr

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership is a POSIX notion")


def test_a_parser_is_cached_privately_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_NO_CACHE", raising=False)
    first = lalr(grammar_path("expr.lark"))
    place = cache_file("expr.lark")
    assert place is not None and place.exists() and place.parent == tmp_path / "xxgk-checker"
    assert stat.S_IMODE(place.stat().st_mode) == 0o600 and stat.S_IMODE(place.parent.stat().st_mode) == 0o700
    second = lalr(grammar_path("expr.lark"))
    assert second.parse("a == b + c") == first.parse("a == b + c")


def test_a_cache_others_can_write_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_NO_CACHE", raising=False)
    folder = tmp_path / "xxgk-checker"
    folder.mkdir(mode=0o700)
    from checker import __version__

    planted = folder / f"expr-{__version__}.lark-cache"
    marker = tmp_path / "ran"
    planted.write_bytes(b"x\n" + _pickle_that_touches(marker))  # what pickle would run
    os.chmod(planted, 0o666)
    assert cache_file("expr.lark") is None
    assert lalr(grammar_path("expr.lark")).parse("a == b")
    assert not marker.exists()
    os.chmod(folder, 0o777)  # a folder others can write to is not used at all
    assert cache_file("expr.lark") is None


def _pickle_that_touches(path: Path) -> bytes:
    import pickle

    class Touch:
        def __reduce__(self):
            return (open, (str(path), "w"))

    return pickle.dumps(Touch())


def test_a_cold_start_works_with_the_cache_off(tmp_path):
    env = {**os.environ, "XXGK_NO_CACHE": "1", "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "checker", "parse", str(Path(__file__).parent.parent / "examples" / "clean-2021.md")],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0 and not (tmp_path / "xxgk-checker").exists()


def test_derived_data_is_built_once_and_read_back_only_when_ours(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_NO_CACHE", raising=False)
    built = []

    def build():
        built.append(1)
        return {"names": ["北京市", "平潭县"]}

    assert cached_json("places-1", build) == {"names": ["北京市", "平潭县"]}
    assert cached_json("places-1", build) == {"names": ["北京市", "平潭县"]} and len(built) == 1
    (place,) = (tmp_path / "xxgk-checker").glob("places-1*.json")
    assert stat.S_IMODE(place.stat().st_mode) == 0o600
    place.write_text('{"names": ["planted"]}', encoding="utf-8")
    os.chmod(place, 0o666)  # another user could have written it
    assert cached_json("places-1", build) == {"names": ["北京市", "平潭县"]} and len(built) == 2
    os.chmod(place, 0o600)
    place.write_text('{"names": [', encoding="utf-8")  # cut short: built again, not an error
    assert cached_json("places-1", build)["names"][0] == "北京市" and len(built) == 3


def test_the_place_names_are_the_same_from_the_cache(tmp_path, monkeypatch):
    from checker import vocab

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_NO_CACHE", raising=False)
    vocab._divisions.cache_clear()
    built = vocab._divisions()
    vocab._divisions.cache_clear()
    read = vocab._divisions()
    vocab._divisions.cache_clear()
    assert read == built and "平潭县" in read["names"] and read["levels"]["广东省"] == "province"


def test_the_shipped_yaml_is_read_back_from_json_as_it_parses(tmp_path, monkeypatch):
    from checker.resources import load_yaml, parse_yaml, rules_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_NO_CACHE", raising=False)
    texts = [p.read_text(encoding="utf-8") for p in sorted(rules_dir().rglob("*.yaml"))]
    assert [load_yaml(t) for t in texts] == [parse_yaml(t) for t in texts]  # built and saved
    assert len(list((tmp_path / "xxgk-checker").glob("yaml-*.json"))) == len(set(texts))
    assert [load_yaml(t) for t in texts] == [parse_yaml(t) for t in texts]  # read back


def test_yaml_json_cannot_give_back_is_parsed_every_time(tmp_path, monkeypatch):
    import datetime

    from checker.resources import load_yaml

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("XXGK_NO_CACHE", raising=False)
    assert load_yaml("due: 2025-01-31\n1: one\n") == {"due": datetime.date(2025, 1, 31), 1: "one"}
    assert not list((tmp_path / "xxgk-checker").glob("yaml-*.json"))


def test_a_warm_start_does_not_import_pyyaml(tmp_path):
    example = Path(__file__).parent.parent / "examples" / "clean-2021.md"
    code = (
        "import sys; from checker.pipeline import check_path; "
        f"check_path({str(example)!r}); print('yaml' in sys.modules)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
        for _ in range(2)
    ]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], runs[-1].stderr
