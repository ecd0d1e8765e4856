"""Where the data files live: inside the wheel (checker/rules) or beside the package in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder `rules` or `grammars`, whichever layout this install has."""
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"xxgk-checker is installed without its {name}/ folder")


def examples_dir() -> Path | None:
    """The example reports of a checkout; a wheel ships none (None)."""
    path = _HERE.parent / "examples"
    return path if path.is_dir() else None


def grammar_path(name: str) -> Path:
    return data_dir("grammars") / name


def rules_dir() -> Path:
    return data_dir("rules")


def load_yaml(text: str):
    """YAML through libyaml when PyYAML has it (several times faster). The built-in rules, vocabularies
    and layouts are read on every start: what a text parses to is kept in the user cache as JSON,
    keyed by the text's digest, so that a start reads JSON and does not import PyYAML at all
    (11 ms, and 9 ms of parsing). Only values JSON gives back exactly are kept (no dates, sets or
    non-text keys)."""
    import hashlib

    from checker.user_cache import cached_json

    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    return cached_json(f"yaml-{digest}", lambda: parse_yaml(text), json_exact)


def parse_yaml(text: str):
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def json_exact(value) -> bool:
    """Whether JSON gives this value back as it is (dicts with text keys, lists, text, numbers)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and json_exact(v) for k, v in value.items())
    if isinstance(value, list):
        return all(json_exact(v) for v in value)
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    return value is None or isinstance(value, (str, int))  # bool is an int
