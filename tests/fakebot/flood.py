"""Telegram's flood limits for the fake server: token buckets and forced 429 storms.

Pure; the caller passes the clock. The buckets have the same semantics as `aiolimiter`'s
`AsyncLimiter(rate, 1)`, which PTB's `AIORateLimiter` uses: up to `rate` messages at once, then
`rate` per second. A client that paces itself with AIORateLimiter therefore never sees a 429 from
the global limit, and one that does not is told how long to wait.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Floating-point slack so that a client waiting exactly `retry_after` seconds is let through.
EPSILON = 1e-6
# Per-chat buckets not touched for this long are full again and can be dropped.
IDLE_SECONDS = 120.0


@dataclass
class TokenBucket:
    """Holds up to `capacity` tokens, refilled at `rate` tokens per second."""

    rate: float
    capacity: float
    tokens: float
    updated: float

    def wait(self, now: float) -> int:
        """Return 0 if a token is available now, else the whole seconds until one is."""
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0 - EPSILON:
            return 0
        return max(1, math.ceil((1.0 - self.tokens) / self.rate - EPSILON))

    def take(self) -> None:
        """Take the token that `wait` found available."""
        self.tokens -= 1.0


@dataclass
class Storm:
    """The next `remaining` limited requests (to `chat_id`, or any chat) get a 429."""

    remaining: int
    retry_after: int
    chat_id: int | None = None


@dataclass
class FloodControl:
    """Decides which message-sending requests are answered with 429 Too Many Requests.

    Limits are off until `configure` is called with a rate; storms work either way.
    """

    global_per_sec: float | None = None
    per_chat_per_sec: float | None = None
    global_burst: float | None = None
    per_chat_burst: float | None = None
    storms: list[Storm] = field(default_factory=list)
    _global: TokenBucket | None = None
    _chats: dict[int, TokenBucket] = field(default_factory=dict)
    _last_sweep: float = 0.0

    def configure(
        self,
        global_per_sec: float | None,
        per_chat_per_sec: float | None,
        global_burst: float | None = None,
        per_chat_burst: float | None = None,
    ) -> None:
        """Set the limits (None switches one off); bursts default to one second's worth."""
        self.global_per_sec, self.per_chat_per_sec = global_per_sec, per_chat_per_sec
        self.global_burst, self.per_chat_burst = global_burst, per_chat_burst
        self._global = None
        self._chats.clear()

    def add_storm(self, count: int, retry_after: int, chat_id: int | None = None) -> None:
        """Answer the next `count` limited requests (to `chat_id`, if given) with a 429."""
        self.storms.append(Storm(count, retry_after, chat_id))

    def check(self, chat_id: int, now: float) -> int | None:
        """Return None if a message to `chat_id` may go now, else the retry_after seconds."""
        for storm in self.storms:
            if storm.remaining > 0 and storm.chat_id in (None, chat_id):
                storm.remaining -= 1
                if storm.remaining == 0:
                    self.storms.remove(storm)
                return storm.retry_after
        if self.per_chat_per_sec is not None:
            self._sweep(now)
            bucket = self._chats.get(chat_id)
            if bucket is None:
                bucket = self._chats[chat_id] = _bucket(
                    self.per_chat_per_sec, self.per_chat_burst, now
                )
            wait = bucket.wait(now)
            if wait:
                return wait
        if self.global_per_sec is not None:
            if self._global is None:
                self._global = _bucket(self.global_per_sec, self.global_burst, now)
            wait = self._global.wait(now)
            if wait:
                return wait
            self._global.take()
        if self.per_chat_per_sec is not None:
            self._chats[chat_id].take()
        return None

    def _sweep(self, now: float) -> None:
        # Keeps memory flat when a broadcast touches 100,000 chats.
        if now - self._last_sweep < IDLE_SECONDS:
            return
        self._last_sweep = now
        idle = [chat for chat, b in self._chats.items() if now - b.updated > IDLE_SECONDS]
        for chat in idle:
            del self._chats[chat]


def _bucket(rate: float, burst: float | None, now: float) -> TokenBucket:
    capacity = max(1.0, rate if burst is None else burst)
    return TokenBucket(rate=rate, capacity=capacity, tokens=capacity, updated=now)
