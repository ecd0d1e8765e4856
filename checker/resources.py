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


def grammar_path(name: str) -> Path:
    return data_dir("grammars") / name


def rules_dir() -> Path:
    return data_dir("rules")


def load_yaml(text: str):
    """YAML through libyaml when PyYAML has it (several times faster: rules load on every start)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
