"""The SQL behind `fupin db copy`: every table of one database into another, row for row.

The tables are read from the destination's own schema (both databases are migrated to the same
version first), so a table added by a later migration is carried without a change here. Rows keep
their ids; afterwards PostgreSQL's id sequences are moved past the copied ids, so the next case,
event or inspection continues the series instead of colliding with a copied row.
"""

from collections.abc import Iterator

from sqlalchemy import Connection, LargeBinary, MetaData, Table, delete, func, insert, select, text

REFERENCE_TABLES = ("schema_migration", "reference_file", "unit", "duty_item")
"""Tables `fupin init` fills by itself: replaced by the source's rows rather than refused."""

BATCH_ROWS = 1000
BINARY_BATCH_ROWS = 4
"""Rows of a table with binary content (a kept file's 1 MiB chunks) taken at a time: a few MiB in memory."""


def tables_in_order(conn: Connection) -> list[Table]:
    """Every table of the database, parents before the tables that refer to them."""
    metadata = MetaData()
    metadata.reflect(bind=conn)
    return [table for table in metadata.sorted_tables if not table.name.startswith("sqlite_")]


def count_rows(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def occupied_tables(conn: Connection) -> list[str]:
    """The tables holding rows that are the office's own records (not reference data)."""
    return [
        table.name
        for table in tables_in_order(conn)
        if table.name not in REFERENCE_TABLES and conn.execute(select(1).select_from(table).limit(1)).first()
    ]


def _ordered(table: Table) -> list:
    return list(table.primary_key.columns) or list(table.columns)


def iter_batches(conn: Connection, table: Table) -> Iterator[list[dict]]:
    """The table's rows in primary-key order, a thousand at a time (a few when they hold binary
    content), as column → value."""
    binary = any(isinstance(column.type, LargeBinary) for column in table.columns)
    size = BINARY_BATCH_ROWS if binary else BATCH_ROWS
    result = conn.execution_options(stream_results=True, max_row_buffer=size).execute(
        select(table).order_by(*_ordered(table))
    )
    while True:
        rows = result.mappings().fetchmany(size)
        if not rows:
            return
        yield [dict(row) for row in rows]


def clear(conn: Connection, table: Table) -> None:
    conn.execute(delete(table))


def insert_rows(conn: Connection, table: Table, rows: list[dict]) -> None:
    if rows:
        conn.execute(insert(table), rows)


def advance_sequences(conn: Connection, tables: list[Table]) -> None:
    """On PostgreSQL, set each serial id's sequence to the largest copied id (nothing on SQLite,
    whose next rowid already follows the largest one)."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            ).scalar()
            if sequence is None:
                continue
            largest = conn.execute(select(func.max(column))).scalar()
            if largest is None:
                conn.execute(text("SELECT setval(CAST(:seq AS regclass), 1, false)"), {"seq": sequence})
            else:
                conn.execute(text("SELECT setval(CAST(:seq AS regclass), :value)"), {"seq": sequence, "value": largest})
