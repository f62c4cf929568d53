"""What the fake Telegram knows: chats, messages, pending updates, files, commands, records.

Owned by the server's event loop: only code running on that loop touches it, so it needs no
locks. Everything it returns is plain JSON-ready data in the Bot API's shapes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .flood import FloodControl
from .tghtml import utf16_length

JSON = dict[str, Any]

BOT_FIRST_NAME = "NewsDigest Test"
FIRST_UPDATE_ID = 1000
# Telegram detects a bot command anywhere in a text; PTB's CommandHandler uses the one at 0.
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![^\s.,;:!?])")


def user_json(user_id: int) -> JSON:
    """Return the User object the fake gives every human user."""
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": f"User {user_id}",
        "username": f"user{user_id}",
        "language_code": "en",
    }


def chat_json(chat_id: int) -> JSON:
    """Return a Chat object: private for positive ids, a (super)group for negative ones."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": f"Group {chat_id}"}


def command_entities(text: str) -> list[JSON]:
    """Return the bot_command entities Telegram attaches to `text` (UTF-16 offsets)."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group(0)),
        }
        for match in _COMMAND.finditer(text)
    ]


def scope_key(scope: JSON | None, language_code: str = "") -> str:
    """Return the canonical key of a BotCommandScope (None is the default scope)."""
    canonical = json.dumps(scope or {"type": "default"}, sort_keys=True, separators=(",", ":"))
    return f"{canonical}|{language_code}"


@dataclass
class StoredFile:
    """A file the test registered; served by getFile and the /file/ route."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_size: int

    def to_json(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }


@dataclass
class World:
    """The state behind one fake Bot API server."""

    flood: FloodControl = field(default_factory=FloodControl)
    validate_html: bool = True
    strict_html: bool = True
    blocked: set[int] = field(default_factory=set)
    unknown: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)
    # chat_id -> message_id -> Message JSON, for replies, callbacks and edits.
    chats: dict[int, dict[int, JSON]] = field(default_factory=dict)
    # chat_id -> the bot's messages, in send order, each updated in place by edits.
    sent: dict[int, list[JSON]] = field(default_factory=dict)
    log: list[JSON] = field(default_factory=list)
    updates: list[JSON] = field(default_factory=list)
    files: dict[str, StoredFile] = field(default_factory=dict)
    commands: dict[str, list[JSON]] = field(default_factory=dict)
    callbacks: dict[str, JSON] = field(default_factory=dict)
    answers: list[JSON] = field(default_factory=list)
    actions: list[JSON] = field(default_factory=list)
    webhook_url: str = ""
    # Bumped by every getUpdates; an older long poll that sees a newer one answers 409.
    poll_generation: int = 0
    # Set when the server stops or resets, so that every waiting request returns at once.
    closed: bool = False
    stats: dict[str, int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _next_update_id: int = FIRST_UPDATE_ID
    _next_message_id: dict[int, int] = field(default_factory=dict)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    # -- waiting -----------------------------------------------------------------------------

    def notify(self) -> None:
        """Wake everything waiting for new updates or messages."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, done: Callable[[], bool], timeout: float) -> None:
        """Wait until `done()` holds, the world closes, or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        while not done() and not self.closed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            await self.wait_change(remaining)

    async def wait_change(self, timeout: float) -> None:
        """Wait until `notify` or `timeout` seconds, whichever is first."""
        if timeout <= 0 or self.closed:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    # -- messages ------------------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def store(self, message: JSON) -> JSON:
        self.chats.setdefault(message["chat"]["id"], {})[message["message_id"]] = message
        return message

    def find(self, chat_id: int, message_id: int) -> JSON | None:
        return self.chats.get(chat_id, {}).get(message_id)

    def record(self, kind: str, message: JSON, fields: JSON) -> None:
        """Record a successful send or edit by the bot, as the test will read it."""
        entry = {
            "kind": kind,
            "chat_id": message["chat"]["id"],
            "message_id": message["message_id"],
            "time": time.time(),
            **fields,
        }
        self.log.append(entry)
        if kind == "edit":
            for sent in reversed(self.sent.get(entry["chat_id"], [])):
                if sent["message_id"] == entry["message_id"]:
                    sent.update(fields, edits=sent["edits"] + 1)
                    break
        else:
            self.sent.setdefault(entry["chat_id"], []).append(dict(entry, edits=0))
        self.count("sent" if kind != "edit" else "edited")
        self.notify()

    # -- updates from users -------------------------------------------------------------------

    def enqueue(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self.updates.append(update)
        self.notify()
        return update

    def user_message(
        self, user_id: int, chat_id: int | None, reply_to: int | None = None, **content: Any
    ) -> JSON:
        """Store and enqueue a message from a user; return the Message JSON."""
        chat = chat_id if chat_id is not None else user_id
        message: JSON = {
            "message_id": self.next_message_id(chat),
            "from": user_json(user_id),
            "chat": chat_json(chat),
            "date": int(time.time()),
            **content,
        }
        if reply_to is not None:
            original = self.find(chat, reply_to)
            if original is None:
                raise LookupError(f"no message {reply_to} in chat {chat} to reply to")
            message["reply_to_message"] = original
        self.enqueue("message", self.store(message))
        return message

    def text_message(
        self, user_id: int, text: str, chat_id: int | None = None, reply_to: int | None = None
    ) -> JSON:
        content: JSON = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return self.user_message(user_id, chat_id, reply_to, **content)

    def register_file(self, content: bytes, file_path: str, size: int | None = None) -> JSON:
        """Store a downloadable file; return its getFile result."""
        n = next(self._ids)
        stored = StoredFile(
            file_id=f"FILE{n:08d}",
            file_unique_id=f"U{n:08d}",
            file_path=file_path or f"documents/file_{n}",
            content=content,
            file_size=len(content) if size is None else size,
        )
        self.files[stored.file_id] = stored
        return stored.to_json()

    def document_message(
        self,
        user_id: int,
        content: bytes,
        file_name: str,
        mime_type: str,
        caption: str | None,
        chat_id: int | None,
        size: int | None,
    ) -> JSON:
        stored = self.register_file(content, f"documents/{file_name}", size)
        document = {
            "file_id": stored["file_id"],
            "file_unique_id": stored["file_unique_id"],
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": stored["file_size"],
        }
        extra: JSON = {"document": document}
        if caption is not None:
            extra["caption"] = caption
            entities = command_entities(caption)
            if entities:
                extra["caption_entities"] = entities
        return self.user_message(user_id, chat_id, None, **extra)

    def callback_query(self, user_id: int, chat_id: int, message_id: int, data: str) -> str:
        """Enqueue a press of an inline button under a bot message; return the query id."""
        message = self.find(chat_id, message_id)
        if message is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        query_id = str(next(self._ids) * 1_000_003)
        query = {
            "id": query_id,
            "from": user_json(user_id),
            "message": message,
            "chat_instance": str(chat_id * 7 + 1),
            "data": data,
        }
        self.callbacks[query_id] = {"query": query, "answered": False}
        self.enqueue("callback_query", query)
        return query_id
