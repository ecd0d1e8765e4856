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
    for doc in docs:
        doc.match = None
        doc.on_roster = None if roster is None else False
        key = doc.agency_key
        if not key:
            continue
        found, note = _on_roster(key, known)
        if found is not None:
            doc.agency_key, doc.match, doc.on_roster = found, note, True
    # without a roster entry: one key for the short and the full name within the batch
    keys = sorted({d.agency_key for d in docs if d.agency_key and not d.on_roster}, key=len, reverse=True)
    fuller = {}
    for key in keys:
        longer = [k for k in keys if same_agency(key, k)]
        if len(longer) == 1:
            fuller[key] = longer[0]
    for doc in docs:
        if doc.agency_key in fuller and not doc.on_roster:
            doc.agency_key = fuller[doc.agency_key]


def _on_roster(key: str, known: dict[str, str]) -> tuple[str | None, str | None]:
    if key in known:
        return known[key], None
    by_name = {k for k in known if same_agency(key, k) or same_agency(k, key)}
    if len({known[k] for k in by_name}) == 1:
        return known[next(iter(by_name))], None
    slipped = [(k, _slips(*_aligned(key, k))) for k in known]
    slipped = [(k, pairs) for k, pairs in slipped if pairs]
    if len({known[k] for k, _ in slipped}) == 1:
        k, pairs = slipped[0]
        return known[k], "、".join(f"{a}→{b}" for a, b in pairs)
    return None, None
