"""Shared fixtures: a fresh database per test, and the shared eval/sample folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Database, open_db
from tests.fakebot import FakeTelegram

# PTB 22 warns on every RetryAfter unless this opts in to timedelta values (filterwarnings=error).
os.environ.setdefault("PTB_TIMEDELTA", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh on-disk database (WAL, migrations applied) for one test."""
    database = open_db(tmp_path / "test.db")
    yield database
    database.close()


@pytest.fixture
def shared_sample() -> Path:
    """The shared sample article; the test is skipped when ../shared is absent."""
    path = SHARED / "samples" / "putin-xi-call.txt"
    if not path.is_file():
        pytest.skip("../shared/samples is absent")
    return path


@pytest.fixture(scope="session")
def telegram_server() -> Iterator[FakeTelegram]:
    """One fake Bot API server on 127.0.0.1 for the whole session."""
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def tg(telegram_server: FakeTelegram) -> FakeTelegram:
    """The fake server, reset to its start-up state for this test."""
    telegram_server.reset()
    return telegram_server
