"""One agency across years and spellings: "云溪县人民政府" in 2023, "云溪县政府" in 2024, and the
report of "云溪县人民政府办公室" that is the government's own."""

from __future__ import annotations

import re

from checker.facts.report_meta import ZONE

_NOISE = re.compile(r"[\s（(][^）)]*[）)]|\s+")  # （代表市政府）, spaces


def agency_key(name: str | None) -> str | None:
    if not name:
        return None
    key = _NOISE.sub("", name)
    key = key.replace("人民政府", "政府")
    key = re.sub(r"(?<=政府)(?:办公室|办公厅)$", "", key)  # the government's report, published by its office
    key = re.sub(rf"({ZONE})(?:管委会|管理委员会|党工委|工委)$", r"\1", key)  # the zone and its 管委会 are one
    if not re.search(rf"{ZONE}$", key):
        key = re.sub(r"(?<=[^市省])区(?=政府$|$)", "县", key)  # a county renamed a district keeps its history
    return key or None
