"""雷同: sections of different reports that say the same thing. Each section becomes a set of
character shingles of its normalised text (figures and years masked, so a copy with this year's
numbers still counts); MinHash signatures go into an LSH index (datasketch), so only likely
pairs are compared — never all pairs — and each candidate pair is then confirmed on the exact
shingle sets and its shared sentences are lined up side by side. Near-copies are grouped
into clusters, so a text copied a thousand times costs a thousand comparisons, not a million."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
_MASK = re.compile(r"\d+(?:\.\d+)?|[〇一二三四五六七八九十]+(?=[年月日件条项])")
_DROP = re.compile(r"[\s，。；：、,.;:！？!?“”\"'（）()《》【】\-—]+")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def normalise(text: str) -> str:
    return _DROP.sub("", _MASK.sub("#", text))


def shingles(text: str) -> set[bytes]:
    norm = normalise(text)
    return {norm[i : i + SHINGLE].encode("utf-8") for i in range(max(len(norm) - SHINGLE + 1, 0))}


def _hash(data: bytes) -> int:
    return zlib.crc32(data)


def signature(text: str) -> MinHash | None:
    """The MinHash of a section's text (None when it is too short to judge)."""
    grams = shingles(text)
    if len(grams) < 20:
        return None
    m = MinHash(num_perm=NUM_PERM, hashfunc=_hash)
    m.update_batch(list(grams))
    return m


@dataclass(frozen=True)
class Pair:
    a: tuple[int, str]  # (document index, section ordinal)
    b: tuple[int, str]
    similarity: float  # Jaccard of the shingle sets


def clusters(members: list, signature_of, similarity, same_source, threshold: float):
    """Near-copies among `members` (in order), grouped: each joins the cluster whose first member
    is the closest of those LSH proposes (at `threshold` or above), or starts one. Yields each
    cluster of two or more, first member first, with each later member's similarity to it."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    groups: dict = {}
    scores: dict = {}
    for member in members:
        best, best_score = None, 0.0
        for first in lsh.query(signature_of(member)):
            if same_source(member, first):
                continue  # the same agency's report twice (a docx and its PDF)
            score = similarity(member, first)
            if score >= threshold and score > best_score:
                best, best_score = first, score
        if best is None:
            lsh.insert(member, signature_of(member))
            groups[member] = [member]
        else:
            groups[best].append(member)
            scores[member] = best_score
    for group in groups.values():
        if len(group) > 1:
            yield group, scores


def jaccard_sets(sa: set, sb: set) -> float:
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def shared_passages(a: str, b: str, limit: int = 8) -> list[tuple[str, str]]:
    """Sentences of `a` whose normalised form also stands in `b`, each with its twin."""
    twins = {}
    for sentence in _SENTENCE.findall(b):
        key = normalise(sentence)
        if len(key) >= 12:
            twins.setdefault(key, sentence.strip())
    out = []
    for sentence in _SENTENCE.findall(a):
        key = normalise(sentence)
        if len(key) >= 12 and key in twins:
            out.append((sentence.strip(), twins[key]))
            if len(out) >= limit:
                break
    return out
