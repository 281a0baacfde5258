"""The floors of a write: one row inserted and committed, in a scratch SQLite file.

    python bench/floor_write.py sqlite3 FILE    # the driver alone: connect, insert, commit
    python bench/floor_write.py sqlmodel FILE   # the design's own floor: import SQLModel, insert one row

Each run adds one row to FILE (created on first use).
"""

import sys
from datetime import date


def plain(path: str) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, title TEXT NOT NULL, opened_on DATE)")
    conn.execute("INSERT INTO item (title, opened_on) VALUES (?, ?)", ("基准测试事项", date.today().isoformat()))
    conn.commit()
    conn.close()


def sqlmodel(path: str) -> None:
    from sqlmodel import Field, Session, SQLModel, create_engine

    class Item(SQLModel, table=True):
        id: int | None = Field(default=None, primary_key=True)
        title: str
        opened_on: date | None = None

    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Item(title="基准测试事项", opened_on=date.today()))
        session.commit()


if __name__ == "__main__":
    {"sqlite3": plain, "sqlmodel": sqlmodel}[sys.argv[1]](sys.argv[2])
