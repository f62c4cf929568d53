"""The test's handle on a fake Bot API server: synchronous helpers over its /_fake/ API.

Works the same for a server in this process (`FakeTelegram`) and one in another process
(`FakeTelegramClient("http://127.0.0.1:PORT")`). Every method is a short blocking HTTP call,
safe from any thread; only `wait_for_messages` blocks for long, so async tests await
`wait_for_messages_async` (or run it in a thread) to let the bot's event loop go on meanwhile.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field, fields
from typing import Any

import httpx

JSON = dict[str, Any]


@dataclass
class SentMessage:
    """A message the bot sent, as the user sees it now (edits applied), or one send/edit."""

    kind: str  # "send", "document" or, in `log()`, "edit"
    chat_id: int
    message_id: int
    text: str  # tags stripped, entities unescaped: what the user reads
    html: str | None = None  # the text exactly as the bot sent it
    parse_mode: str | None = None
    entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None
    link_preview_options: JSON | None = None
    disable_web_page_preview: bool = False
    reply_to_message_id: int | None = None
    document: JSON | None = None
    time: float = 0.0
    edits: int = 0
    deleted: bool = False

    @classmethod
    def from_json(cls, data: JSON) -> SentMessage:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known and v is not None})

    @property
    def preview_disabled(self) -> bool:
        """Whether link previews are off, by either Bot API spelling."""
        options = self.link_preview_options or {}
        return bool(options.get("is_disabled")) or self.disable_web_page_preview

    @property
    def buttons(self) -> list[list[str]]:
        """The inline keyboard's button labels, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[button["text"] for button in row] for row in rows]

    def button(self, label: str) -> JSON:
        """Return the inline button labelled `label`."""
        for row in (self.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == label:
                    return dict(button)
        raise LookupError(f"no button {label!r} in {self.buttons}")


@dataclass
class CallbackAnswer:
    """The bot's answerCallbackQuery for one button press."""

    callback_query_id: str
    user_id: int
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None
    time: float


class FakeTelegramClient:
    """Control and inspect a fake Bot API server at `url` ("http://127.0.0.1:PORT")."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url, timeout=30.0)

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`, which appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder().base_file_url(...)`, which appends the token."""
        return f"{self.url}/file/bot"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> FakeTelegramClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def call(self, operation: str, timeout: float = 30.0, **args: Any) -> Any:
        """Run one /_fake/ operation; raise RuntimeError if the server refuses it."""
        response = self._http.post(f"/_fake/{operation}", json=args, timeout=timeout)
        body = response.json()
        if not body.get("ok"):
            raise RuntimeError(f"fake Telegram refused {operation}: {body.get('description')}")
        return body["result"]

    # -- what the bot did ----------------------------------------------------------------------

    def messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Return the bot's messages in `chat_id` (or every chat), oldest first, edits applied."""
        return [SentMessage.from_json(m) for m in self.call("messages", chat_id=chat_id)]

    def texts(self, chat_id: int) -> list[str]:
        """Return the text (or caption) of each bot message in `chat_id`, as the user reads it."""
        return [m.text for m in self.messages(chat_id)]

    def last_message(self, chat_id: int) -> SentMessage:
        messages = self.messages(chat_id)
        if not messages:
            raise LookupError(f"the bot sent nothing to chat {chat_id}")
        return messages[-1]

    def log(self, chat_id: int | None = None) -> list[SentMessage]:
        """Return every successful send and edit, in order (kind "send", "document", "edit")."""
        return [SentMessage.from_json(m) for m in self.call("log", chat_id=chat_id)]

    def wait_for_messages(
        self, chat_id: int | None, count: int, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Block until `chat_id` (None: all chats together) holds `count` bot messages.

        Raises:
            TimeoutError: not enough messages within `timeout` seconds; says what did arrive.
        """
        result = self.call(
            "wait", timeout=timeout + 10.0, chat_id=chat_id, count=count, seconds=timeout
        )
        messages = [SentMessage.from_json(m) for m in result["messages"]]
        if not result["reached"]:
            got = [m.text[:80] for m in messages]
            raise TimeoutError(f"{count} messages in chat {chat_id} expected, got {got}")
        return messages

    async def wait_for_messages_async(
        self, chat_id: int | None, count: int, timeout: float = 5.0
    ) -> list[SentMessage]:
        """`wait_for_messages` in a worker thread, for async tests whose loop runs the bot."""
        return await asyncio.to_thread(self.wait_for_messages, chat_id, count, timeout)

    def message_counts(self) -> dict[int, int]:
        """Return how many messages the bot sent to each chat."""
        return {int(chat): n for chat, n in self.call("counts").items()}

    def callback_answers(self) -> list[CallbackAnswer]:
        return [CallbackAnswer(**a) for a in self.call("answers")]

    def unanswered_callbacks(self) -> list[str]:
        """Return the ids of callback queries the bot has not answered."""
        return list(self.call("unanswered"))

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON] | None:
        """Return the commands set for a BotCommandScope dict (None: default), or None if unset."""
        result = self.call("commands", scope=scope, language_code=language_code)
        return None if result is None else list(result)

    def pending_updates(self) -> list[JSON]:
        """Return the updates the bot has not confirmed yet."""
        return list(self.call("updates"))

    def chat_actions(self) -> list[JSON]:
        return list(self.call("actions"))

    def stats(self) -> dict[str, int]:
        """Counters: requests, method.<name>, sent, edited, rejected_429/403/400, ..."""
        return dict(self.call("stats"))

    # -- what users do -------------------------------------------------------------------------

    def send_text(
        self, user_id: int, text: str, chat_id: int | None = None, reply_to: int | None = None
    ) -> int:
        """Enqueue a text message from `user_id` (in their private chat by default).

        Commands in it get bot_command entities, as on Telegram. Returns its message_id.
        """
        message = self.call("text", user_id=user_id, text=text, chat_id=chat_id, reply_to=reply_to)
        return int(message["message_id"])

    def send_command(self, user_id: int, command: str, chat_id: int | None = None) -> int:
        """Enqueue a command such as "/latest 3"; returns its message_id."""
        if not command.startswith("/"):
            raise ValueError(f"a command starts with '/': {command!r}")
        return self.send_text(user_id, command, chat_id)

    def send_callback(
        self, user_id: int, message_id: int, data: str, chat_id: int | None = None
    ) -> str:
        """Press a button with `data` under bot message `message_id`; return the id."""
        return str(
            self.call(
                "callback", user_id=user_id, chat_id=chat_id, message_id=message_id, data=data
            )
        )

    def press_button(self, user_id: int, message: SentMessage, label: str) -> str:
        """Press the inline button labelled `label` under `message`; return the query id."""
        data = message.button(label).get("callback_data")
        if data is None:
            raise LookupError(f"button {label!r} sends no callback_data")
        return self.send_callback(user_id, message.message_id, str(data), message.chat_id)

    def send_document(
        self,
        user_id: int,
        content: bytes,
        file_name: str,
        caption: str | None = None,
        mime_type: str | None = None,
        chat_id: int | None = None,
        size: int | None = None,
    ) -> int:
        """Enqueue an uploaded document, downloadable through getFile; returns its message_id.

        `size` overrides the advertised file_size (a "20 MB" upload without 20 MB of bytes).
        """
        message = self.call(
            "document",
            user_id=user_id,
            content_b64=base64.b64encode(content).decode(),
            file_name=file_name,
            caption=caption,
            mime_type=mime_type,
            chat_id=chat_id,
            size=size,
        )
        return int(message["message_id"])

    def register_file(self, content: bytes, file_path: str = "", size: int | None = None) -> str:
        """Make `content` available through getFile; return its file_id."""
        encoded = base64.b64encode(content).decode()
        stored = self.call("file", content_b64=encoded, file_path=file_path, size=size)
        return str(stored["file_id"])

    # -- how Telegram behaves ------------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: sends to `chat_id` get 403 Forbidden."""
        self.call("block", chat_id=chat_id)

    def unblock(self, chat_id: int) -> None:
        self.call("unblock", chat_id=chat_id)

    def forget_chat(self, chat_id: int) -> None:
        """Sends to `chat_id` get 400 "chat not found"."""
        self.call("forget_chat", chat_id=chat_id)

    def migrate(self, chat_id: int, to_chat_id: int) -> None:
        """The group became a supergroup: sends get 400 with migrate_to_chat_id."""
        self.call("migrate", chat_id=chat_id, to_chat_id=to_chat_id)

    def set_flood(
        self,
        global_per_sec: float | None = 30.0,
        per_chat_per_sec: float | None = 1.0,
        global_burst: float | None = None,
        per_chat_burst: float | None = None,
    ) -> None:
        """Turn flood limits on (None leaves one off); bursts default to one second's worth."""
        self.call(
            "flood",
            global_per_sec=global_per_sec,
            per_chat_per_sec=per_chat_per_sec,
            global_burst=global_burst,
            per_chat_burst=per_chat_burst,
        )

    def flood_off(self) -> None:
        self.set_flood(None, None)

    def storm(self, count: int, retry_after: int = 1, chat_id: int | None = None) -> None:
        """A 429 storm: the next `count` sends/edits (to `chat_id`, or any) get 429."""
        self.call("storm", count=count, retry_after=retry_after, chat_id=chat_id)

    def set_validation(self, html: bool = True, strict: bool = True) -> None:
        """`html=False` skips HTML parsing (benchmarks); `strict=False` allows a bare '&'."""
        self.call("validation", html=html, strict=strict)

    def reset(self) -> None:
        """Forget everything and return to the server's start-up settings."""
        self.call("reset")
