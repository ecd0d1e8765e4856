"""The years the tool accepts, said once for every front end (CLI options, the API, the server,
rule files): a report year from 1990 (reports older than the 2008 regulation are still read and
said to be out of its scope) to 2100; a template from 2008, the first year a report was due."""

FIRST_YEAR, LAST_YEAR = 1990, 2100
FIRST_TEMPLATE_YEAR = 2008


def year_ok(value: object, first: int = FIRST_YEAR) -> bool:
    """An int (not a bool) in [first, LAST_YEAR]; a text of ASCII digits is read as one."""
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit()):
            return False
        value = int(value)
    return isinstance(value, int) and not isinstance(value, bool) and first <= value <= LAST_YEAR
