"""A fake Bot API server on a background thread with its own event loop, for pytest."""

from __future__ import annotations

from tests.loopthread import LoopThread

from .client import FakeTelegramClient
from .server import HOST, Defaults, FakeBotServer


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
        self._worker: LoopThread | None = None

    def start(self) -> FakeTelegram:
        """Start serving; return self once the port accepts connections."""
        if self._worker is not None:
            raise RuntimeError("FakeTelegram is already started")
        self._worker = LoopThread("fake-telegram")
        port = self._worker.run(self._server.start(self._port))
        super().__init__(f"http://{HOST}:{port}")
        return self

    def stop(self) -> None:
        """Stop serving and release the thread, the loop and the client's connections."""
        worker = self._worker
        if worker is None:
            return
        self.close()
        worker.run(self._server.stop())
        worker.close()
        self._worker = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
