"""Text quality, read from what normalisation recorded (traditional script, debris, page residue)."""

from __future__ import annotations

from checker.engine.checks import check, require
from checker.engine.context import Context
from checker.engine.finding import Hit


def _prepare(params: dict) -> dict:
    require(params, "kinds")
    if params.get("per", "document") not in ("document", "change"):
        raise ValueError("per 应为 document 或 change")
    return params


@check("normalized", _prepare)
def normalized(ctx: Context, params: dict):
    """Normalisation had to convert or remove text of these kinds."""
    changes = [c for c in ctx.doc.changes if c.kind in params["kinds"]]
    if len(changes) < params.get("min", 1):
        return
    if params.get("per", "document") == "change":
        for change in changes:
            yield Hit({"text": change.original[:40], "count": 1}, change.loc, None, None,
                      f"{change.kind}/{change.original[:40]}")
        return
    if params.get("sample") == "chars":  # traditional characters: list each character once
        sample = "".join(dict.fromkeys("".join(c.original for c in changes)))[:12]
        converted = "".join(dict.fromkeys("".join(c.replacement for c in changes)))[:12]
    else:
        sample = "、".join(list(dict.fromkeys(c.original for c in changes))[:5])
        converted = ""
    count = sum(len(c.original) for c in changes) if params.get("sample") == "chars" else len(changes)
    yield Hit({"count": count, "sample": sample, "converted": converted}, changes[0].loc, None,
              None, "document")
