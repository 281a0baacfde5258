"""How fupin's SQLite columns come back from the driver, the same on every path: a column declared
DATE as a `date`, one declared BOOLEAN as a `bool` (as PostgreSQL gives them); a `date` is stored as
its ISO text. Both the light reader (storage.plain) and the write path's engine (storage.db) open
their connections with DETECT_TYPES, so a query written once reads the same values through either.
"""

import sqlite3
from datetime import date

DETECT_TYPES = sqlite3.PARSE_DECLTYPES


def _date(raw: bytes) -> date:
    return date.fromisoformat(raw.decode("ascii"))


def _boolean(raw: bytes) -> bool:
    return raw not in (b"0", b"")


sqlite3.register_converter("DATE", _date)
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_converter("BOOLEAN", _boolean)
