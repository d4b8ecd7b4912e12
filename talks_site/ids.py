"""Row ids as they arrive in addresses and query strings."""

import re

# The largest id a 64-bit primary key holds (BigAutoField, on every database we run on).
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(raw):
    """The id `raw` spells in ASCII digits, or None for anything no row can have.

    str.isdigit() also says yes to "²" or "٣", which int() refuses or reads; and a number past
    64 bits overflows SQLite's integers instead of matching nothing.
    """
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None
