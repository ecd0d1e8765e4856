"""雷同: sections of different reports that say the same thing. Each section becomes a set of
character shingles of its normalised text (figures and years masked, so a copy with this year's
numbers still counts); MinHash signatures go into an LSH index (datasketch), so only likely
pairs are compared — never all pairs — and each candidate pair is then confirmed on the exact
shingle sets and its shared sentences are lined up side by side."""

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
    return {norm[i:i + SHINGLE].encode("utf-8") for i in range(max(len(norm) - SHINGLE + 1, 0))}


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


def candidate_pairs(signatures: dict[tuple[int, str], MinHash], threshold: float) -> list[tuple]:
    """Pairs of sections whose signatures LSH puts together (same ordinal only)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for key, m in signatures.items():
        lsh.insert(key, m)
    pairs = set()
    for key, m in signatures.items():
        for other in lsh.query(m):
            if other != key and other[1] == key[1]:
                pairs.add(tuple(sorted((key, other))))
    return sorted(pairs)


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
