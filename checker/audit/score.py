"""The per-report score, with weights from rules/audit/score.yaml (or the supervisor's own file)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from checker.resources import rules_dir, load_yaml

_KEYS = {"start", "severity", "family", "cap", "rules"}


class ScoreError(ValueError):
    pass


def load(path: Path | None = None) -> dict:
    weights = load_yaml((rules_dir() / "audit" / "score.yaml").read_text(encoding="utf-8"))
    if path is None:
        return weights
    try:
        custom = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ScoreError(f"无法读取评分文件 {path}：{error}") from error
    if not isinstance(custom, dict) or set(custom) - _KEYS:
        raise ScoreError(f"评分文件 {path} 只能含这些键：{', '.join(sorted(_KEYS))}")
    for key, value in custom.items():
        weights[key] = {**weights[key], **value} if isinstance(weights.get(key), dict) and isinstance(value, dict) else value
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
