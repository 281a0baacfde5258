"""storage.rows.Rows over the SQLAlchemy Connection of a write: the same queries and row→record
mappings the light reader serves, read inside the write's own transaction (its own writes seen).

Values come back as the light reader gives them: the SQLite engine converts declared DATE and
BOOLEAN columns like storage.plain (storage.sqlite_types); PostgreSQL's driver does so itself.
"""

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection


class SessionRows:
    """Portable SQL with `:name` parameters on the connection of the current unit of work."""

    def __init__(self, connection: "Connection") -> None:
        from sqlalchemy import text  # loaded already: a write holds this connection

        self._text = text
        self.connection = connection
        self.backend = "sqlite" if connection.dialect.name == "sqlite" else "postgresql"

    def rows(self, sql: str, parameters: Mapping[str, Any] | None = None) -> Iterator[tuple[Any, ...]]:
        for row in self.connection.execute(self._text(sql), dict(parameters or {})):
            yield tuple(row)

    def mappings(self, sql: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return [dict(row) for row in self.connection.execute(self._text(sql), dict(parameters or {})).mappings()]
