"""Opening the database: WAL mode, busy timeout, migrations at start-up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from storage.migrations import MIGRATIONS

DEFAULT_DB_PATH = Path("data/newsdigest.db")
BUSY_TIMEOUT_MS = 10_000

__all__ = ["DEFAULT_DB_PATH", "Database", "open_db"]


def open_db(path: str | Path = DEFAULT_DB_PATH) -> Database:
    """Open (creating if needed) the database at `path` and apply pending migrations.

    Args:
        path: A file path, or ":memory:" for a throwaway database.

    Returns:
        A `sqlite_utils.Database` in WAL mode with every migration applied.
    """
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", check_same_thread=False)
    else:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if str(path) != ":memory:":
        db.enable_wal()
    # NORMAL is durable against process crashes (kill -9) in WAL mode; only an OS
    # crash or power loss can drop the last commits.
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    MIGRATIONS.apply(db)
    return db
