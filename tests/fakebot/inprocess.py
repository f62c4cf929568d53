"""A fake Bot API server on a background thread with its own event loop, for pytest."""

from __future__ import annotations

import asyncio
import threading

from .client import FakeTelegramClient
from .server import HOST, Defaults, FakeBotServer

START_SECONDS = 10.0


class FakeTelegram(FakeTelegramClient):
    """A fake Telegram listening on 127.0.0.1 while started; all the client's helpers.

    Use as `with FakeTelegram() as tg:` or call `start()` / `stop()` (e.g. in a fixture).
    """

    def __init__(self, *, flood: bool = False, validate_html: bool = True, port: int = 0):
        """Configure, without starting.

        Args:
            flood: start with Telegram's limits on (30 messages/s overall, 1/s per chat).
            validate_html: parse HTML parse mode like Telegram; False only for benchmarks.
            port: the port to listen on; 0 picks a free one.
        """
        self._server = FakeBotServer(Defaults(flood=flood, validate_html=validate_html))
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeTelegram:
        """Start serving; return self once the port accepts connections."""
        if self._loop is not None:
            raise RuntimeError("FakeTelegram is already started")
        loop = self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="fake-telegram", daemon=True)
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(self._server.start(self._port), loop)
        port = started.result(START_SECONDS)
        super().__init__(f"http://{HOST}:{port}")
        return self

    def stop(self) -> None:
        """Stop serving and release the thread, the loop and the client's connections."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self.close()
        asyncio.run_coroutine_threadsafe(self._server.stop(), loop).result(START_SECONDS)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(START_SECONDS)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
