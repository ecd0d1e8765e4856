"""GitLab Code Quality report (artifacts:reports:codequality): a JSON array of issues with
description, check_name, fingerprint, severity and location.path/lines.begin."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render(results) -> str:
    issues = []
    seen: dict[str, int] = {}
    for result in results:
        for finding in result.active:
            loc = finding.loc
            base = f"{Path(result.path).as_posix()}|{finding.fingerprint}"
            seen[base] = seen.get(base, 0) + 1  # GitLab needs every fingerprint unique
            unique = hashlib.sha1(f"{base}|{seen[base]}".encode()).hexdigest()
            issues.append(
                {
                    "type": "issue",
                    "description": f"{finding.code} {finding.message}",
                    "check_name": f"{finding.code} {finding.name}",
                    "fingerprint": unique,
                    "severity": _SEVERITY[finding.severity],
                    "categories": ["Compatibility"],
                    "location": {"path": Path(result.path).as_posix(), "lines": {"begin": loc.line if loc else 1}},
                }
            )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
