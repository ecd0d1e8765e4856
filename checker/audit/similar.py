"""雷同: sections of different reports that say the same thing. Each section becomes a set of
character shingles of its normalised text (figures and years masked, so a copy with this year's
numbers still counts); MinHash signatures go into an LSH index (datasketch), so only likely
pairs are compared — never all pairs — and each candidate pair is then confirmed on the exact
shingle sets and its shared sentences are lined up side by side. Near-copies are grouped
into clusters, so a text copied a thousand times costs a thousand comparisons, not a million."""

from __future__ import annotations

import re
from functools import lru_cache
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 5
_MASK = re.compile(r"\d+(?:\.\d+)?|[〇一二三四五六七八九十]+(?=[年月日件条项])")
_DROP = re.compile(r"[\s，。；：、,.;:！？!?“”\"'（）()《》【】\-—]+")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def normalise(text: str) -> str:
    return _DROP.sub("", _MASK.sub("#", text))


def shingles(text: str) -> set[str]:
    norm = normalise(text)
    return {norm[i : i + SHINGLE] for i in range(max(len(norm) - SHINGLE + 1, 0))}


def _hash(data: bytes) -> int:
    return zlib.crc32(data)


class Signature:
    """A section's MinHash values and their scheme, without the permutations that made them
    (a MinHash object keeps its own, three times the values: an audit holds a signature for
    every section it compares)."""

    __slots__ = ("hashvalues", "scheme")

    def __init__(self, hashvalues, scheme: str):
        self.hashvalues, self.scheme = hashvalues, scheme

    def __reduce__(self):
        return Signature, (self.hashvalues, self.scheme)


def signature(text: str) -> Signature | None:
    """The MinHash signature of a section's text (None when it is too short to judge)."""
    grams = shingles(text)
    if len(grams) < 20:
        return None
    m = MinHash(num_perm=NUM_PERM, hashfunc=_hash)
    m.update_batch([gram.encode("utf-8") for gram in grams])
    return Signature(m.hashvalues, m.scheme)


@dataclass(frozen=True)
class Pair:
    a: tuple[int, str]  # (document index, section ordinal)
    b: tuple[int, str]
    similarity: float  # Jaccard of the shingle sets


def clusters(members: list, signature_of, similarity, same_source, threshold: float):
    """Near-copies among `members` (in order), grouped: each joins the cluster whose first member
    is the closest of those LSH proposes (at `threshold` or above), or starts one. Yields each
    cluster of two or more, first member first, with each later member's similarity to it."""
    lsh = Bands(max(threshold - LSH_BELOW, 0.1))
    firsts: dict = {}  # a cluster's first member → its signature's values
    groups: dict = {}
    scores: dict = {}
    for member in members:
        signed = signature_of(member)
        keys = lsh.keys(signed.hashvalues)
        best, best_score = None, 0.0
        for first in _likeliest(member, signed, lsh.query(keys), firsts, same_source, threshold):
            score = similarity(member, first)
            if score >= threshold and score > best_score:
                best, best_score = first, score
        if best is None:
            lsh.insert(member, keys)
            firsts[member] = signed.hashvalues
            groups[member] = [member]
        else:
            groups[best].append(member)
            scores[member] = best_score
    for group in groups.values():
        if len(group) > 1:
            yield group, scores


# LSH proposes pairs below the threshold (at the threshold itself a pair at 0.6 was proposed
# only 38% of the time, one at 0.75 86%; 0.1 below, 86% and all but none): the MinHash estimate
# then screens them, all at once
LSH_BELOW = 0.1
MARGIN = 0.1  # about two standard deviations of a 64-permutation estimate near the threshold
VERIFY = 8  # cluster firsts a section is compared with exactly, at most


class Bands:
    """LSH over MinHash signatures: `b` bands of `r` values each (the b and r datasketch's
    MinHashLSH chooses for the threshold), a bucket per band's values. A bucket that holds CROWD
    cluster firsts is boilerplate many different texts share: it takes no more, so a query costs
    at most b × CROWD estimates however big the batch. (datasketch's index has no such bound: a
    bucket grew with the batch, and with it every query — 0.06 proposals a section at 1,000
    reports, 0.69 at 30,000.) A band's values are one 64-bit number and a bucket of one first is
    that first, not a set: the index is most of 雷同's memory and its lookups are most of its
    time, slower the bigger it is. (Two bands that hash alike only propose a pair, which the
    estimate then screens.)"""

    CROWD = 64

    def __init__(self, threshold: float):
        self.b, self.r = _bands(threshold)
        self.buckets: list[dict] = [{} for _ in range(self.b)]
        self.mix = np.random.RandomState(1).randint(1, 2**62, size=self.r, dtype=np.uint64) | np.uint64(1)

    def keys(self, values) -> list[int]:
        band = values[: self.b * self.r].reshape(self.b, self.r).astype(np.uint64)
        return (band * self.mix).sum(axis=1).tolist()  # (wraps around: a hash)

    def query(self, keys: list[int]) -> list:
        """The firsts sharing a bucket with these keys, in the order they came."""
        found: dict = {}
        for bucket, key in zip(self.buckets, keys):
            held = bucket.get(key)
            if held is None:
                continue
            if type(held) is list:
                found.update(dict.fromkeys(held))
            else:
                found[held] = None
        return list(found)

    def insert(self, member, keys: list[int]) -> None:
        """(`member` is hashable, so never a list.)"""
        for bucket, key in zip(self.buckets, keys):
            held = bucket.get(key)
            if held is None:
                bucket[key] = member
            elif type(held) is list:
                if len(held) < self.CROWD:
                    held.append(member)
            else:
                bucket[key] = [held, member]


@lru_cache(maxsize=8)
def _bands(threshold: float) -> tuple[int, int]:
    """datasketch's choice of bands and rows for a threshold (it integrates to choose: once)."""
    chosen = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return chosen.b, chosen.r


def _likeliest(member, signed, found: list, firsts: dict, same_source, threshold: float) -> list:
    """The cluster firsts LSH proposes for `member`, screened by their MinHash estimate (a
    comparison of 64 integers, where the exact one builds two shingle sets) and the VERIFY
    likeliest kept: as a batch grows, LSH proposes more firsts that are alike but not copies
    (10 a section at 10,000 generated reports, against 0.2 at 1,000), and comparing each
    exactly made 雷同 grow faster than the batch. Not the same agency's report (a docx and its
    PDF)."""
    if not found:
        return found
    agree = np.count_nonzero(np.stack([firsts[f] for f in found]) == signed.hashvalues, axis=1) / NUM_PERM
    likely = [(float(e), f) for e, f in zip(agree, found) if e >= threshold - MARGIN and not same_source(member, f)]
    likely.sort(key=lambda pair: -pair[0])  # stable: equal estimates keep LSH's order
    if likely and likely[0][0] >= threshold + MARGIN:
        return [likely[0][1]]  # a copy beyond doubt: only its exact similarity is wanted
    return [f for _, f in likely[:VERIFY]]


def jaccard_sets(sa: set, sb: set) -> float:
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


@lru_cache(maxsize=256)
def _sentences(text: str) -> dict[str, str]:
    """A text's sentences by their normalised form (a cluster's first is lined up with each of
    its members: made once)."""
    twins: dict[str, str] = {}
    for sentence in _SENTENCE.findall(text):
        key = normalise(sentence)
        if len(key) >= 12:
            twins.setdefault(key, sentence.strip())
    return twins


def shared_passages(a: str, b: str, limit: int = 8) -> list[tuple[str, str]]:
    """Sentences of `a` whose normalised form also stands in `b`, each with its twin."""
    twins = _sentences(b)
    out = []
    for sentence in _SENTENCE.findall(a):
        key = normalise(sentence)
        if len(key) >= 12 and key in twins:
            out.append((sentence.strip(), twins[key]))
            if len(out) >= limit:
                break
    return out
