"""Fixtures for the fake server's own tests; the server and `tg` are in tests/conftest.py."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from tests.fakebot import FakeTelegram

TOKEN = "123456:TEST-token"


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as bot:
        yield bot
