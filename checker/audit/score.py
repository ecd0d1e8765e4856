"""The per-report score, with weights from rules/audit/score.yaml (or the supervisor's own file)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from checker.resources import rules_dir, load_yaml
from checker.user_files import UserFileError
from checker.user_files import load_yaml as load_user_yaml

_KEYS = {"start", "severity", "family", "cap", "rules", "absent"}


class ScoreError(ValueError):
    pass


def load(path: Path | None = None) -> dict:
    weights = load_yaml((rules_dir() / "audit" / "score.yaml").read_text(encoding="utf-8"))
    if path is None:
        return weights
    try:
        custom = load_user_yaml(path, "评分文件") or {}
    except UserFileError as error:
        raise ScoreError(str(error)) from None
    if not isinstance(custom, dict) or set(map(str, custom)) - _KEYS:
        raise ScoreError(f"评分文件 {path} 只能含这些键：{', '.join(sorted(_KEYS))}")
    for key, value in custom.items():
        numbers = value.values() if isinstance(value, dict) else [value]
        if isinstance(value, dict) != isinstance(weights[key], dict) or not all(
            isinstance(n, (int, float)) and not isinstance(n, bool) and 0 <= n <= 1e6 for n in numbers
        ):
            raise ScoreError(
                f"评分文件 {path} 的 {key} 应为{'映射（名称: 分值）' if isinstance(weights[key], dict) else '一个数'}，"
                "分值为 0 至 1000000 之间的数"
            )
    for key, value in custom.items():
        weights[key] = (
            {**weights[key], **value} if isinstance(weights.get(key), dict) and isinstance(value, dict) else value
        )
    return weights


def score(findings, weights: dict) -> float:
    """100 minus the weighted findings that count (waived ones do not)."""
    lost: Counter = Counter()
    for finding in findings:
        if finding.suppressed is not None:
            continue
        points = weights.get("rules", {}).get(finding.code)
        if points is None:
            points = weights["severity"].get(finding.severity, 0) * weights["family"].get(finding.code[0], 1.0)
        lost[finding.code] += points
    cap = weights.get("cap")
    total = sum(min(v, max(cap, weights.get("rules", {}).get(code, 0))) if cap else v for code, v in lost.items())
    return round(max(weights["start"] - total, 0), 1)


def absent(weights: dict) -> float:
    """The score of a roster agency that published no report for the audited year: the worst
    there is (0 unless score.yaml says otherwise)."""
    return float(weights.get("absent", 0))
