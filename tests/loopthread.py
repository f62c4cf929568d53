"""An asyncio event loop on a background thread, for the local servers tests talk to.

Synchronous tests (the command line) and async ones alike can then reach a fake
Telegram or a fake news site, which keeps running while the test blocks.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

START_SECONDS = 10.0  # the longest a server may take to start or stop

T = TypeVar("T")


class LoopThread:
    """A loop running on a daemon thread from construction until `close()`."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the loop and return its result (waiting `START_SECONDS` at most)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(START_SECONDS)

    def close(self) -> None:
        """Stop the loop, join the thread and close the loop."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(START_SECONDS)
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
