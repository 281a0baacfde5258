"""What a storage function reads through: the light reader of a read command (storage.plain) and
the unit of work of a write command both offer these, so a query and its row→record mapping are
written once and serve both paths."""

from collections.abc import Iterator, Mapping
from typing import Any, Protocol


class Rows(Protocol):
    """Portable SQL with `:name` parameters in, plain rows out; DATE columns come back as `date`,
    BOOLEAN columns as `bool`, on every backend."""

    backend: str
    """"sqlite" or "postgresql"."""

    def rows(self, sql: str, parameters: Mapping[str, Any] | None = None) -> Iterator[tuple[Any, ...]]:
        """Every row as a tuple, streamed."""
        ...

    def mappings(self, sql: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every row as a dict keyed by column name (for the few-row look-ups of one record)."""
        ...
