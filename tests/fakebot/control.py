"""The test-side control API, served under /_fake/: inspect records, enqueue updates, set rules.

Each operation takes the JSON arguments (query string and body merged) and returns JSON. The
Python client (`client.FakeTelegramClient`) wraps every one of them in a method.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

from .world import JSON, World, scope_key

Operation = Callable[[World, JSON], Awaitable[Any]]


def _int(args: JSON, name: str) -> int:
    return int(args[name])


def _optional_int(args: JSON, name: str) -> int | None:
    value = args.get(name)
    return None if value in (None, "") else int(value)


def _chat_messages(world: World, chat_id: int | None) -> list[JSON]:
    if chat_id is not None:
        return list(world.sent.get(chat_id, []))
    every = [m for messages in world.sent.values() for m in messages]
    return sorted(every, key=lambda m: m["time"])


async def messages(world: World, args: JSON) -> list[JSON]:
    return _chat_messages(world, _optional_int(args, "chat_id"))


async def log(world: World, args: JSON) -> list[JSON]:
    chat_id = _optional_int(args, "chat_id")
    return [e for e in world.log if chat_id is None or e["chat_id"] == chat_id]


async def wait_messages(world: World, args: JSON) -> JSON:
    """Wait until a chat (or all chats together) holds `count` bot messages, or time out."""
    chat_id, count = _optional_int(args, "chat_id"), _int(args, "count")

    def reached() -> bool:
        if chat_id is None:
            return sum(len(m) for m in world.sent.values()) >= count
        return len(world.sent.get(chat_id, [])) >= count

    await world.wait_until(reached, float(args.get("seconds", 5.0)))
    return {"reached": reached(), "messages": _chat_messages(world, chat_id)}


async def counts(world: World, args: JSON) -> dict[str, int]:
    return {str(chat): len(sent) for chat, sent in world.sent.items()}


async def block(world: World, args: JSON) -> None:
    world.blocked.add(_int(args, "chat_id"))


async def unblock(world: World, args: JSON) -> None:
    world.blocked.discard(_int(args, "chat_id"))


async def forget_chat(world: World, args: JSON) -> None:
    world.unknown.add(_int(args, "chat_id"))


async def migrate(world: World, args: JSON) -> None:
    world.migrated[_int(args, "chat_id")] = _int(args, "to_chat_id")


async def flood(world: World, args: JSON) -> None:
    world.flood.configure(
        args.get("global_per_sec"),
        args.get("per_chat_per_sec"),
        args.get("global_burst"),
        args.get("per_chat_burst"),
    )


async def storm(world: World, args: JSON) -> None:
    world.flood.add_storm(
        _int(args, "count"), int(args.get("retry_after", 1)), _optional_int(args, "chat_id")
    )


async def validation(world: World, args: JSON) -> None:
    world.validate_html = bool(args.get("html", True))
    world.strict_html = bool(args.get("strict", True))


async def text(world: World, args: JSON) -> JSON:
    return world.text_message(
        _int(args, "user_id"),
        str(args["text"]),
        _optional_int(args, "chat_id"),
        _optional_int(args, "reply_to"),
    )


async def callback(world: World, args: JSON) -> str:
    user_id = _int(args, "user_id")
    chat_id = _optional_int(args, "chat_id") or user_id
    return world.callback_query(user_id, chat_id, _int(args, "message_id"), str(args["data"]))


async def document(world: World, args: JSON) -> JSON:
    return world.document_message(
        _int(args, "user_id"),
        base64.b64decode(args["content_b64"]),
        str(args["file_name"]),
        str(args.get("mime_type") or "application/octet-stream"),
        args.get("caption"),
        _optional_int(args, "chat_id"),
        _optional_int(args, "size"),
    )


async def register_file(world: World, args: JSON) -> JSON:
    content = base64.b64decode(args["content_b64"])
    path = str(args.get("file_path") or "")
    return world.register_file(content, path, _optional_int(args, "size"))


async def answers(world: World, args: JSON) -> list[JSON]:
    return world.answers


async def unanswered(world: World, args: JSON) -> list[str]:
    return [query_id for query_id, q in world.callbacks.items() if not q["answered"]]


async def commands(world: World, args: JSON) -> list[JSON] | None:
    return world.commands.get(scope_key(args.get("scope"), str(args.get("language_code", ""))))


async def updates(world: World, args: JSON) -> list[JSON]:
    return world.updates


async def actions(world: World, args: JSON) -> list[JSON]:
    return world.actions


async def stats(world: World, args: JSON) -> JSON:
    return {**world.stats, "pending_updates": len(world.updates)}


OPERATIONS: dict[str, Operation] = {
    "messages": messages,
    "log": log,
    "wait": wait_messages,
    "counts": counts,
    "block": block,
    "unblock": unblock,
    "forget_chat": forget_chat,
    "migrate": migrate,
    "flood": flood,
    "storm": storm,
    "validation": validation,
    "text": text,
    "callback": callback,
    "document": document,
    "file": register_file,
    "answers": answers,
    "unanswered": unanswered,
    "commands": commands,
    "updates": updates,
    "actions": actions,
    "stats": stats,
}
