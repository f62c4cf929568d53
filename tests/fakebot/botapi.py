"""The Bot API method table: method name -> handler(world, bot, params) -> result.

getUpdates is not here: it waits, so the server implements it (see `server.get_updates`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from telegram.constants import BotCommandLimit, FileSizeLimit

from .messaging import (
    delete_message,
    edit_message_reply_markup,
    edit_message_text,
    resolve_chat,
    send_document,
    send_message,
)
from .params import Params, bad_request
from .world import BOT_FIRST_NAME, JSON, World, scope_key

Handler = Callable[[World, JSON, Params], Any]

MAX_DOWNLOAD = int(FileSizeLimit.FILESIZE_DOWNLOAD)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_TOKEN = re.compile(r"(\d+):[A-Za-z0-9_-]+")


def bot_user(token: str) -> JSON | None:
    """Return the bot's User object for a well-formed token, None for a malformed one."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    bot_id = int(match.group(1))
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": f"fake{bot_id}_bot",
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def get_me(world: World, bot: JSON, params: Params) -> JSON:
    return bot


def ok(world: World, bot: JSON, params: Params) -> bool:
    return True


def delete_webhook(world: World, bot: JSON, params: Params) -> bool:
    world.webhook_url = ""
    if params.get_bool("drop_pending_updates"):
        world.updates.clear()
    return True


def set_webhook(world: World, bot: JSON, params: Params) -> bool:
    world.webhook_url = params.get_str("url") or ""
    return True


def get_webhook_info(world: World, bot: JSON, params: Params) -> JSON:
    return {
        "url": world.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates),
    }


def _scope(params: Params) -> str:
    return scope_key(params.get_json("scope"), params.get_str("language_code") or "")


def set_my_commands(world: World, bot: JSON, params: Params) -> bool:
    commands = params.get_json("commands")
    if not isinstance(commands, list) or len(commands) > BotCommandLimit.MAX_COMMAND_NUMBER:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(command.get("description", ""))
        if not 1 <= len(description) <= BotCommandLimit.MAX_DESCRIPTION:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[_scope(params)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


def delete_my_commands(world: World, bot: JSON, params: Params) -> bool:
    world.commands.pop(_scope(params), None)
    return True


def get_my_commands(world: World, bot: JSON, params: Params) -> list[JSON]:
    return world.commands.get(_scope(params), [])


def answer_callback_query(world: World, bot: JSON, params: Params) -> bool:
    query_id = params.get_str("callback_query_id") or ""
    pending = world.callbacks.get(query_id)
    if pending is None or pending["answered"]:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    pending["answered"] = True
    query = pending["query"]
    world.answers.append(
        {
            "callback_query_id": query_id,
            "user_id": query["from"]["id"],
            "data": query.get("data"),
            "text": params.get_str("text"),
            "show_alert": params.get_bool("show_alert"),
            "url": params.get_str("url"),
            "time": time.time(),
        }
    )
    world.notify()
    return True


def send_chat_action(world: World, bot: JSON, params: Params) -> bool:
    chat_id = resolve_chat(world, params)
    world.actions.append({"chat_id": chat_id, "action": params.get_str("action")})
    return True


def get_file(world: World, bot: JSON, params: Params) -> JSON:
    stored = world.files.get(params.get_str("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.file_size > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.to_json()


# Keys are lower case: Telegram's method names are case-insensitive.
METHODS: dict[str, Handler] = {
    name.lower(): handler
    for name, handler in {
        "getMe": get_me,
        "logOut": ok,
        "close": ok,
        "deleteWebhook": delete_webhook,
        "setWebhook": set_webhook,
        "getWebhookInfo": get_webhook_info,
        "setMyCommands": set_my_commands,
        "deleteMyCommands": delete_my_commands,
        "getMyCommands": get_my_commands,
        "sendMessage": send_message,
        "editMessageText": edit_message_text,
        "editMessageReplyMarkup": edit_message_reply_markup,
        "deleteMessage": delete_message,
        "sendDocument": send_document,
        "answerCallbackQuery": answer_callback_query,
        "sendChatAction": send_chat_action,
        "getFile": get_file,
    }.items()
}
