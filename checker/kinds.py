"""The regimes a report can be checked under and the kinds of agency the regulation tells apart,
said once for every stage and front end (facts, the CLI's choices, the API, the server)."""

REGIMES = ("regulation-2008", "format-2019", "format-2021")
KINDS = ("government", "department", "township", "subdistrict", "zone", "organisation", "unknown")
