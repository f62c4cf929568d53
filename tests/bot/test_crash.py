"""kill -9 in the middle of a broadcast, then a restart: every subscriber gets the digest once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.library import store_article
from ingest import Article
from storage import open_db
from storage.subscribers import save_subscription
from tests.bot.conftest import TOKEN
from tests.fakebot import FakeTelegram

SUBSCRIBERS = 240
FIRST_CHAT = 7000
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def crash_db(tmp_path: Path) -> Path:
    path = tmp_path / "crash.db"
    db = open_db(path)
    store_article(db, Article("Crash-safe headline", ("Something happened, officials said.",)))
    due = datetime.now(timezone.utc) - timedelta(minutes=1)
    for chat in range(FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS):
        save_subscription(db, chat, chat, "08:00", "UTC", due, since_id=0)
    db.close()
    return path


def start(tg: FakeTelegram, db_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "TELEGRAM_FILE_BASE_URL": tg.base_file_url,
        "NEWSDIGEST_DB": str(db_path),
        "NEWSDIGEST_POLL_SECONDS": "0.5",
        "NEWSDIGEST_MAX_RATE": "30",
    }
    with (db_path.parent / "bot.log").open("ab") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=log, stderr=log
        )


def delivered(tg: FakeTelegram) -> dict[int, int]:
    counts = tg.message_counts()
    return {c: counts.get(c, 0) for c in range(FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS)}


def wait_for(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_sigkill_mid_broadcast_then_restart_delivers_exactly_once(
    telegram_server: FakeTelegram, crash_db: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    tg = telegram_server
    tg.reset()
    tg.set_flood(global_per_sec=30, per_chat_per_sec=1)
    first = start(tg, crash_db)
    processes.append(first)
    wait_for(lambda: sum(delivered(tg).values()) >= SUBSCRIBERS // 3, timeout=60)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    at_kill = sum(delivered(tg).values())
    assert 0 < at_kill < SUBSCRIBERS, "the kill must land in the middle of the broadcast"

    second = start(tg, crash_db)
    processes.append(second)
    wait_for(lambda: all(delivered(tg).values()), timeout=90)
    time.sleep(1.5)  # anything sent twice would show up now
    second.send_signal(signal.SIGTERM)
    second.wait(20)

    counts = delivered(tg)
    assert min(counts.values()) == 1
    assert max(counts.values()) <= 2
    # Only a message in flight at the kill may repeat; the rate limiter lets at most
    # a second's worth (30) out at a time.
    assert sum(1 for n in counts.values() if n == 2) <= 30
    for chat in (FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS - 1):
        assert "Crash-safe headline" in tg.messages(chat)[0].text
