"""Reading ids from request parameters: what a user can type must never reach `int()` or the database unchecked."""

MAX_ID = 2**63 - 1  # the largest bigint: PostgreSQL refuses anything beyond, SQLite overflows


def parse_id(raw) -> int | None:
    """The id a GET/POST parameter names, or None when it is not one (never raises).

    `str.isdigit()` alone accepts '²' and other non-ASCII digits that `int()` refuses, and a digit string of any
    length, which `int()` refuses past 4,300 digits and the database past a bigint."""
    if isinstance(raw, int):
        return raw if 0 <= raw <= MAX_ID else None
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None
