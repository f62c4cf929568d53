"""The Bot API methods that send and edit messages, with Telegram's checks and limits.

Order of checks, as on Telegram: the chat (blocked, unknown, migrated), then the content
(parse mode, empty, too long, keyboard), then the flood limits; only a message that passes all
three is stored and recorded.
"""

from __future__ import annotations

import time
from typing import Any

from telegram.constants import MessageLimit

from .params import ApiError, Params, bad_request
from .tghtml import HTMLParseError, parse_html, utf16_length
from .world import JSON, World, chat_json

MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)
MAX_CAPTION = int(MessageLimit.CAPTION_LENGTH)
MAX_CALLBACK_DATA = 64
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup of the message "
    "are exactly the same as a current content and reply markup of the message"
)


def resolve_chat(world: World, params: Params) -> int:
    """Return the target chat id, or raise the error Telegram gives for that chat."""
    try:
        chat_id = params.get_int("chat_id")
    except ApiError:
        chat_id = None  # "@channelname": the fake knows no channels
    if chat_id is None or chat_id in world.unknown:
        raise bad_request("chat not found")
    if chat_id in world.blocked:
        world.count("rejected_403")
        if chat_id > 0:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        raise ApiError(403, "Forbidden: bot was kicked from the group chat")
    if chat_id in world.migrated:
        raise ApiError(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": world.migrated[chat_id]},
        )
    return chat_id


def check_flood(world: World, chat_id: int) -> None:
    retry_after = world.flood.check(chat_id, time.monotonic())
    if retry_after is not None:
        world.count("rejected_429")
        raise ApiError(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )


def format_text(world: World, params: Params, key: str, limit: int) -> JSON:
    """Parse `key` (text or caption) under the request's parse_mode into record fields."""
    html = params.get_str(key) or ""
    parse_mode = params.get_str("parse_mode") or ""
    entities: list[JSON] = []
    text = html
    if parse_mode.lower() == "html":
        if world.validate_html:
            try:
                parsed = parse_html(html, strict=world.strict_html)
            except HTMLParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
            text, entities = parsed.text, parsed.entities
    elif parse_mode.lower() in ("", "markdown", "markdownv2"):
        entities = params.get_json(f"{key}_entities" if key != "text" else "entities") or []
    else:
        raise bad_request("unsupported parse_mode")
    if key == "text" and not text.strip():
        raise bad_request("message text is empty")
    if utf16_length(text) > limit:
        raise bad_request(f"message {'' if key == 'text' else 'caption '}is too long")
    return {"text": text, "html": html, "parse_mode": parse_mode or None, "entities": entities}


def inline_markup(params: Params) -> JSON | None:
    """Return the request's reply_markup after Telegram's checks on inline keyboards."""
    markup = params.get_json("reply_markup")
    if not isinstance(markup, dict):
        return None
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise bad_request("BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _reply_to(world: World, params: Params, chat_id: int) -> JSON | None:
    reply = params.get_json("reply_parameters") or {}
    message_id = reply.get("message_id") or params.get_int("reply_to_message_id")
    if not message_id:
        return None
    original = world.find(chat_id, int(message_id))
    if original is None and not (
        reply.get("allow_sending_without_reply") or params.get_bool("allow_sending_without_reply")
    ):
        raise bad_request("message to be replied not found")
    return original


def _bot_message(world: World, bot: JSON, chat_id: int, fields: JSON, markup: Any) -> JSON:
    message: JSON = {
        "message_id": world.next_message_id(chat_id),
        "from": bot,
        "chat": chat_json(chat_id),
        "date": int(time.time()),
        **fields,
    }
    return _with_keyboard(message, markup)


def _with_keyboard(message: JSON, markup: Any) -> JSON:
    """The message with `markup` as its reply_markup when that is an inline keyboard."""
    if markup and "inline_keyboard" in markup:
        message["reply_markup"] = markup
    return message


def send_message(world: World, bot: JSON, params: Params) -> JSON:
    chat_id = resolve_chat(world, params)
    formatted = format_text(world, params, "text", MAX_TEXT)
    markup = inline_markup(params)
    original = _reply_to(world, params, chat_id)
    check_flood(world, chat_id)
    content: JSON = {"text": formatted["text"]}
    if formatted["entities"]:
        content["entities"] = formatted["entities"]
    preview = params.get_json("link_preview_options")
    if preview:
        content["link_preview_options"] = preview
    if original is not None:
        content["reply_to_message"] = original
    message = world.store(_bot_message(world, bot, chat_id, content, markup))
    world.record(
        "send",
        message,
        {
            **formatted,
            "reply_markup": markup,
            "link_preview_options": preview,
            "disable_web_page_preview": params.get_bool("disable_web_page_preview"),
            "reply_to_message_id": None if original is None else original["message_id"],
        },
    )
    return message


def _editable(world: World, params: Params) -> tuple[int, JSON]:
    if "inline_message_id" in params:
        raise bad_request("MESSAGE_ID_INVALID")  # the fake has no inline mode
    chat_id = resolve_chat(world, params)
    message = world.find(chat_id, params.get_int("message_id") or 0)
    if message is None:
        raise bad_request("message to edit not found")
    if not message["from"]["is_bot"]:
        raise bad_request("message can't be edited")
    return chat_id, message


def _apply_edit(world: World, chat_id: int, old: JSON, new: JSON, fields: JSON) -> JSON:
    if new == {k: v for k, v in old.items() if k != "edit_date"}:
        raise bad_request(NOT_MODIFIED)
    check_flood(world, chat_id)
    new["edit_date"] = int(time.time())
    world.store(new)
    world.record("edit", new, fields)
    return new


def edit_message_text(world: World, bot: JSON, params: Params) -> JSON:
    chat_id, old = _editable(world, params)
    formatted = format_text(world, params, "text", MAX_TEXT)
    markup = inline_markup(params)
    # Like Telegram, an edit without reply_markup removes the inline keyboard.
    drop = ("text", "entities", "reply_markup", "edit_date")
    new = {k: v for k, v in old.items() if k not in drop}
    new["text"] = formatted["text"]
    if formatted["entities"]:
        new["entities"] = formatted["entities"]
    _with_keyboard(new, markup)
    fields = {**formatted, "reply_markup": markup}
    preview = params.get_json("link_preview_options")
    if preview:
        fields["link_preview_options"] = preview
    return _apply_edit(world, chat_id, old, new, fields)


def edit_message_reply_markup(world: World, bot: JSON, params: Params) -> JSON:
    chat_id, old = _editable(world, params)
    markup = inline_markup(params)
    new = {k: v for k, v in old.items() if k not in ("reply_markup", "edit_date")}
    _with_keyboard(new, markup)
    fields = {"text": new.get("text", ""), "reply_markup": markup}
    return _apply_edit(world, chat_id, old, new, fields)


def delete_message(world: World, bot: JSON, params: Params) -> bool:
    chat_id = resolve_chat(world, params)
    message_id = params.get_int("message_id") or 0
    if world.chats.get(chat_id, {}).pop(message_id, None) is None:
        raise bad_request("message to delete not found")
    for sent in world.sent.get(chat_id, []):
        if sent["message_id"] == message_id:
            sent["deleted"] = True
    return True


def send_document(world: World, bot: JSON, params: Params) -> JSON:
    chat_id = resolve_chat(world, params)
    formatted = format_text(world, params, "caption", MAX_CAPTION)
    markup = inline_markup(params)
    upload = params.raw("document")
    if isinstance(upload, str) and upload in world.files:
        stored = world.files[upload]
        content, file_name = stored.content, stored.file_path.rsplit("/", 1)[-1]
    elif hasattr(upload, "file"):
        content, file_name = upload.file.read(), upload.filename or "document"
    else:
        raise bad_request("wrong file identifier/HTTP URL specified")
    check_flood(world, chat_id)
    stored_json = world.register_file(content, f"documents/{file_name}")
    document = {
        "file_id": stored_json["file_id"],
        "file_unique_id": stored_json["file_unique_id"],
        "file_name": file_name,
        "file_size": len(content),
    }
    content_fields: JSON = {"document": document}
    if formatted["text"]:
        content_fields["caption"] = formatted["text"]
    if formatted["entities"]:
        content_fields["caption_entities"] = formatted["entities"]
    message = world.store(_bot_message(world, bot, chat_id, content_fields, markup))
    world.record("document", message, {**formatted, "reply_markup": markup, "document": document})
    return message
