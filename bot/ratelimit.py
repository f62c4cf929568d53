"""Flood control: PTB's AIORateLimiter plus Telegram's one-message-a-second per private chat."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

# Beyond this many per-chat limiters, idle ones are dropped (a broadcast touches each chat once).
MAX_CHAT_LIMITERS = 4096

_Callback = Callable[..., Coroutine[Any, Any, Any]]


class ChatRateLimiter(AIORateLimiter):
    """AIORateLimiter, which limits overall and per group, plus a per-chat limit for
    private chats (positive ids), which AIORateLimiter leaves unlimited."""

    def __init__(self, *, per_chat_rate: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._per_chat_rate = per_chat_rate
        self._chat_limiters: dict[int, AsyncLimiter] = {}

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chat_limiters.get(chat_id)
        if limiter is None:
            if len(self._chat_limiters) >= MAX_CHAT_LIMITERS:
                idle = [k for k, v in self._chat_limiters.items() if v.has_capacity(1)]
                for key in idle:
                    del self._chat_limiters[key]
            limiter = AsyncLimiter(1, 1 / self._per_chat_rate)
            self._chat_limiters[chat_id] = limiter
        return limiter

    async def process_request(
        self,
        callback: _Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Apply the per-chat limit inside the overall one, then let AIORateLimiter retry."""
        chat_id = data.get("chat_id")
        try:
            chat = int(chat_id) if chat_id is not None else 0
        except (TypeError, ValueError):
            chat = 0
        if chat > 0 and self._per_chat_rate:
            limiter, inner = self._chat_limiter(chat), callback

            async def limited(*a: Any, **k: Any) -> Any:
                async with limiter:
                    return await inner(*a, **k)

            callback = limited
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
