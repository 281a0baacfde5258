"""The database a command works on: opened, migrated, and its reference data current."""

from fupin_cli.settings import Settings
from fupin_cli.storage.db import Database, open_database


def connect(settings: Settings) -> Database:
    """Open --db (creating the default file and folder privately on first use)."""
    return open_database(settings.db, private_folder=settings.is_default_db)
