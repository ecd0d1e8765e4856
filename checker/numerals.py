"""Chinese numerals as they appear in ordinals (一 … 九十九) and dates (二〇一二)."""

from __future__ import annotations

_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def ordinal_value(text: str) -> int | None:
    """一 → 1, 十 → 10, 十一 → 11, 二十三 → 23; None when it is not such a numeral."""
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


def digit_string(text: str) -> int | None:
    """二〇一二 → 2012 (digit by digit, as years are written); 十六 → 16 (as days are)."""
    if all(ch in _DIGITS for ch in text) and len(text) >= 2:
        return int("".join(str(_DIGITS[ch]) for ch in text))
    return ordinal_value(text)
