"""Telegram's HTML parse mode: text with tags -> plain text and message entities.

Pure; no I/O. Follows tdlib's `parse_html` (td/telegram/MessageEntity.cpp): the same tag
set, attribute syntax and error wording, offsets in UTF-16 code units. One deliberate
difference: tdlib passes a bare `&` that starts no entity through unchanged, but the Bot API
documentation says every `&` must be escaped, so this parser rejects it (`strict=False` gives
tdlib's leniency). A bare `>` is accepted, as tdlib does. Linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# tag -> entity type; `span` is allowed only as <span class="tg-spoiler">.
ENTITY_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
MAX_CODE_POINT = 0x10FFFF

_SPECIAL = re.compile(r"[<&]")
_ENTITY = re.compile(r"&(?:#[xX]([0-9A-Fa-f]{1,8})|#([0-9]{1,8})|(lt|gt|amp|quot));")
_TAG_NAME = re.compile(r"[^\s>]*")
_SPACE = re.compile(r"\s*")
_ATTR_NAME = re.compile(r"[^\s=>]*")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")
_MENTION_URL = re.compile(r"tg://user\?id=(\d+)$")


class HTMLParseError(ValueError):
    """Text that Telegram would refuse with "Bad Request: can't parse entities: ..."."""


@dataclass
class ParsedText:
    """The text a user sees and its entities (Bot API MessageEntity dicts)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    text_index: int
    expandable: bool


def utf16_length(text: str) -> int:
    """Return the length of `text` in UTF-16 code units, the unit of Telegram's limits."""
    return len(text.encode("utf-16-le")) // 2


def _end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    # Every pattern passed here can match the empty string, so a match always exists.
    match = pattern.match(text, pos)
    assert match is not None
    return match.end()


def _unescape(raw: str) -> str:
    def replace(match: re.Match[str]) -> str:
        decoded = _decode_entity(match.group(0), 0)
        return match.group(0) if decoded is None else decoded[0]

    return _ENTITY.sub(replace, raw) if "&" in raw else raw


def _byte_offset(html: str, index: int) -> int:
    # tdlib reports UTF-8 byte offsets; computed only on the error path.
    return len(html[:index].encode("utf-8"))


def _decode_entity(html: str, pos: int) -> tuple[str, int] | None:
    match = _ENTITY.match(html, pos)
    if match is None:
        return None
    hex_code, dec_code, name = match.groups()
    if name is not None:
        return NAMED_ENTITIES[name], match.end()
    code = int(hex_code, 16) if hex_code is not None else int(dec_code)
    if code == 0 or code > MAX_CODE_POINT or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


class _Parser:
    def __init__(self, html: str, strict: bool) -> None:
        self.html = html
        self.strict = strict
        self.out: list[str] = []
        self.utf16 = 0
        self.length = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def error(self, message: str) -> HTMLParseError:
        return HTMLParseError(message)

    def emit(self, chunk: str) -> None:
        if chunk:
            self.out.append(chunk)
            self.length += len(chunk)
            self.utf16 += utf16_length(chunk) if not chunk.isascii() else len(chunk)

    def parse(self) -> ParsedText:
        html, pos = self.html, 0
        while True:
            match = _SPECIAL.search(html, pos)
            if match is None:
                self.emit(html[pos:])
                break
            start = match.start()
            self.emit(html[pos:start])
            if html[start] == "&":
                decoded = _decode_entity(html, start)
                if decoded is None:
                    if self.strict:
                        raise self.error(
                            f"Character '&' is reserved and must be escaped as &amp; "
                            f"at byte offset {_byte_offset(html, start)}"
                        )
                    self.emit("&")
                    pos = start + 1
                else:
                    self.emit(decoded[0])
                    pos = decoded[1]
            elif html.startswith("</", start):
                pos = self.end_tag(start)
            else:
                pos = self.start_tag(start)
        if self.stack:
            tag = self.stack[-1].tag
            raise self.error(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def start_tag(self, begin: int) -> int:
        html = self.html
        name_end = _end(_TAG_NAME, html, begin + 1)
        if name_end >= len(html):
            raise self.error(f"Unclosed start tag at byte offset {_byte_offset(html, begin)}")
        tag = html[begin + 1 : name_end].lower()
        where = f"at byte offset {_byte_offset(html, begin)}"
        if tag not in ENTITY_TYPES:
            raise self.error(f'Unsupported start tag "{tag}" {where}')
        argument, expandable, pos = "", False, name_end
        while True:
            pos = _end(_SPACE, html, pos)
            if pos >= len(html):
                raise self.error(f'Unclosed start tag "{tag}" {where}')
            if html[pos] == ">":
                break
            attr_end = _end(_ATTR_NAME, html, pos)
            attr = html[pos:attr_end]
            if not attr:
                raise self.error(f'Empty attribute name in the tag "{tag}" {where}')
            pos = _end(_SPACE, html, attr_end)
            if pos >= len(html):
                raise self.error(f'Unclosed start tag "{tag}" {where}')
            if html[pos] != "=":
                if tag == "blockquote" and attr == "expandable":
                    expandable = True
                    continue
                raise self.error(f'Expected equal sign in an attribute of the tag "{tag}" {where}')
            value, pos = self.attribute_value(_end(_SPACE, html, pos + 1), tag, where)
            if tag == "a" and attr == "href":
                argument = value
            elif tag == "code" and attr == "class" and value.startswith("language-"):
                argument = value[len("language-") :]
            elif tag == "span" and attr == "class" and value.startswith("tg-"):
                argument = value[len("tg-") :]
            elif tag == "tg-emoji" and attr == "emoji-id":
                argument = value
        if tag == "span" and argument != "spoiler":
            raise self.error(f'Tag "span" must have class "tg-spoiler" {where}')
        self.stack.append(_Open(tag, argument, self.utf16, self.length, expandable))
        return pos + 1

    def attribute_value(self, pos: int, tag: str, where: str) -> tuple[str, int]:
        html = self.html
        if pos >= len(html):
            raise self.error(f'Unclosed start tag "{tag}" {where}')
        quote = html[pos]
        if quote not in "'\"":
            end = _end(_NAME_TOKEN, html, pos)
            if end >= len(html) or not (html[end].isspace() or html[end] == ">"):
                offset = _byte_offset(html, pos)
                raise self.error(f"Unexpected end of name token at byte offset {offset}")
            return html[pos:end].lower(), end
        close = html.find(quote, pos + 1)
        if close < 0:
            raise self.error(f"Unclosed start tag at byte offset {_byte_offset(html, pos)}")
        return _unescape(html[pos + 1 : close]), close + 1

    def end_tag(self, begin: int) -> int:
        html = self.html
        where = f"at byte offset {_byte_offset(html, begin)}"
        if not self.stack:
            raise self.error(f"Unexpected end tag {where}")
        name_end = _end(_TAG_NAME, html, begin + 2)
        close = _end(_SPACE, html, name_end)
        if close >= len(html) or html[close] != ">":
            raise self.error(f"Unclosed end tag {where}")
        name = html[begin + 2 : name_end].lower()
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise self.error(
                f'Unmatched end tag {where}, expected "</{opened.tag}>", found "</{name}>"'
            )
        self.add_entity(opened)
        return close + 1

    def inside(self, tag: str) -> bool:
        return bool(self.stack) and self.stack[-1].tag == tag

    def add_entity(self, opened: _Open) -> None:
        length = self.utf16 - opened.utf16_offset
        if length == 0:
            return
        entity: dict[str, Any] = {
            "type": ENTITY_TYPES[opened.tag],
            "offset": opened.utf16_offset,
            "length": length,
        }
        if opened.tag == "a":
            url = opened.argument or "".join(self.out)[opened.text_index :]
            mention = _MENTION_URL.match(url)
            if mention is not None:
                entity.update(type="text_mention", user={"id": int(mention.group(1))})
                entity["user"].update(is_bot=False, first_name=f"User {mention.group(1)}")
            else:
                entity["url"] = url
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.argument
        elif opened.tag == "blockquote" and opened.expandable:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "pre" and self.entities:
            # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
            inner = self.entities[-1]
            if inner["type"] == "code" and (inner["offset"], inner["length"]) == (
                entity["offset"],
                length,
            ):
                self.entities.pop()
                if "language" in inner:
                    entity["language"] = inner["language"]
        elif opened.tag == "code" and opened.argument and self.inside("pre"):
            entity["language"] = opened.argument
        self.entities.append(entity)


def parse_html(html: str, *, strict: bool = True) -> ParsedText:
    """Parse Telegram-flavoured HTML.

    Args:
        html: the message text as sent with parse_mode=HTML.
        strict: reject a bare `&` (the Bot API documentation's rule); False follows tdlib.

    Returns:
        The plain text and its entities, offsets and lengths in UTF-16 code units.

    Raises:
        HTMLParseError: the message Telegram would give after "can't parse entities: ".
    """
    return _Parser(html, strict).parse()
