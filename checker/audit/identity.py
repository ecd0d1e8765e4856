"""One agency, one key (issue 34 §2): a report is matched to its roster entry and to the same
agency's reports of other years by what identifies the agency — its division and its own name
normalised (agencies.agency_key: 人民政府/政府, 管委会/管理委员会 …) — whether it writes the full
name or the short one (淮安市洪泽区人民政府 = 洪泽区人民政府: the part before is a chain of GB/T 2260
division names), goes by an alias the roster gives, or misspells its county by a look-alike
character (沐阳 for 沭阳, the table Q706 uses). A match by look-alike is never silent: the report
carries a note the audit shows."""

from __future__ import annotations

from checker.audit.agencies import agency_key
from checker.vocab import lookalikes, place_names

MAX_SLIPS = 2  # look-alike characters a name may differ by and still be the roster's


def _division_chain(prefix: str) -> bool:
    """Whether `prefix` is one or more division names one after another (江苏省淮安市)."""
    names = place_names()
    while prefix:
        step = next((n for n in range(min(len(prefix), 12), 1, -1) if prefix[:n] in names), None)
        if step is None:
            return False
        prefix = prefix[step:]
    return True


def same_agency(short: str, full: str) -> bool:
    """The short key names the agency the full key names, the full one only adding the
    divisions above it (洪泽县政府 / 淮安市洪泽县政府)."""
    return len(full) > len(short) and full.endswith(short) and _division_chain(full[: -len(short)])


def _slips(written: str, known: str) -> list[tuple[str, str]] | None:
    """The look-alike characters by which `written` differs from `known` (沐→沭), or None when
    they differ otherwise."""
    if len(written) != len(known):
        return None
    alike = lookalikes()
    pairs = [(a, b) for a, b in zip(written, known) if a != b]
    if not pairs or len(pairs) > MAX_SLIPS or not all(b in alike.get(a, "") for a, b in pairs):
        return None
    last = max(i for i, (a, b) in enumerate(zip(written, known)) if a != b)
    if any(written[:n] in place_names() for n in range(last + 1, min(len(written), 12) + 1)):
        return None  # 泗阳县 is a county of its own, not 沭阳县 misspelt
    return pairs


def _aligned(written: str, known: str) -> tuple[str, str]:
    """The two names with the divisions one of them adds above the other set aside (沐阳县政府 /
    宿迁市沭阳县政府 → 沐阳县政府 / 沭阳县政府), so that a look-alike is looked for in what both name."""
    if len(known) > len(written) and _division_chain(known[: len(known) - len(written)]):
        return written, known[len(known) - len(written) :]
    if len(written) > len(known) and _division_chain(written[: len(written) - len(known)]):
        return written[len(written) - len(known) :], known
    return written, known


def _shorter(full: str) -> list[str]:
    """The keys `full` may be the full name of: what is left after each chain of division names
    it starts with (淮安市洪泽县政府 → 洪泽县政府), so that same_agency(short, full) is a lookup."""
    return [full[i:] for i in range(2, len(full)) if _division_chain(full[:i])]


def _by_shorter(keys) -> dict[str, set[str]]:
    """short key → the fuller keys among `keys` that name it (one pass over the keys, where
    comparing every pair was quadratic: 4 million comparisons for 2,000 agencies)."""
    index: dict[str, set[str]] = {}
    for key in keys:
        for short in _shorter(key):
            index.setdefault(short, set()).add(key)
    return index


def resolve(docs, roster=None) -> None:
    """Give every report the key of its agency: the roster's entry where one names it (the note
    `doc.match` says how, where it is not the name itself), else the fullest name the batch's
    reports give the agency; `doc.on_roster` says whether a roster entry was found."""
    known: dict[str, str] = {}  # a roster entry's key, or an alias's → the entry's key
    for member in roster or ():
        key = agency_key(member.agency)
        if key:
            known[key] = key
            for alias in member.aliases:
                if agency_key(alias):
                    known.setdefault(agency_key(alias), key)
    fuller_known = _by_shorter(known)
    for doc in docs:
        doc.match = None
        doc.on_roster = None if roster is None else False
        key = doc.agency_key
        if not key:
            continue
        found, note = _on_roster(key, known, fuller_known)
        if found is not None:
            doc.agency_key, doc.match, doc.on_roster = found, note, True
    # without a roster entry: one key for the short and the full name within the batch
    keys = {d.agency_key for d in docs if d.agency_key and not d.on_roster}
    index = _by_shorter(keys)
    fuller = {key: next(iter(index[key])) for key in keys if len(index.get(key, ())) == 1}
    for doc in docs:
        if doc.agency_key in fuller and not doc.on_roster:
            doc.agency_key = fuller[doc.agency_key]


def _on_roster(key: str, known: dict[str, str], fuller: dict[str, set[str]]) -> tuple[str | None, str | None]:
    if key in known:
        return known[key], None
    by_name = fuller.get(key, set()) | {k for k in _shorter(key) if k in known}
    if len({known[k] for k in by_name}) == 1:
        return known[next(iter(by_name))], None
    slipped = [(k, _slips(*_aligned(key, k))) for k in known]
    slipped = [(k, pairs) for k, pairs in slipped if pairs]
    if len({known[k] for k, _ in slipped}) == 1:
        k, pairs = slipped[0]
        return known[k], "、".join(f"{a}→{b}" for a, b in pairs)
    return None, None
