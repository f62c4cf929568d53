"""Settings, read once from the environment (and an optional `.env`) into a frozen dataclass."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from storage import DEFAULT_DB_PATH


class ConfigError(Exception):
    """A missing or bad setting; the message is one line naming the key."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with its default."""

    token: str | None = None
    admin_ids: frozenset[int] = frozenset()
    db_path: Path = DEFAULT_DB_PATH
    timezone: str = "UTC"
    digest_max: int = 10
    api_base_url: str | None = None
    file_base_url: str | None = None
    # Messages per second overall: just under Telegram's ~30/s, since every 429 pauses
    # all sending for retry_after (measured: 26.8/s delivered at 30, 29.8/s at 29).
    max_rate: float = 29.0
    poll_seconds: float = 30.0  # how often the scheduler looks for due digests and feeds
    feed_interval_minutes: int = 15  # default polling interval of a followed feed


def _int_set(key: str, raw: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in raw.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError(
            f"{key} must be comma-separated numeric Telegram user ids, got {raw!r}"
        ) from None


def _number(key: str, raw: str, kind: type[int] | type[float], low: float) -> float:
    try:
        value = kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{key} must be {what}, got {raw!r}") from None
    if value < low:
        raise ConfigError(f"{key} must be at least {low}, got {raw!r}")
    return value


def check_timezone(key: str, name: str) -> str:
    """Return `name` if it is a known IANA time zone, else raise ConfigError naming `key`."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{key}: unknown time zone {name!r} (use an IANA name like Europe/Berlin)"
        ) from None
    return name


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env"
) -> Settings:
    """Read settings from `environ` (default: the process environment) over `env_file`.

    Values in the environment win over the file. Empty values count as unset.
    """
    values: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(key: str) -> str:
        return (values.get(key) or "").strip()

    db_path = Path(get("NEWSDIGEST_DB")) if get("NEWSDIGEST_DB") else DEFAULT_DB_PATH
    return Settings(
        token=get("TELEGRAM_BOT_TOKEN") or None,
        admin_ids=_int_set("NEWSDIGEST_ADMIN_IDS", get("NEWSDIGEST_ADMIN_IDS")),
        db_path=db_path,
        timezone=check_timezone("NEWSDIGEST_TIMEZONE", get("NEWSDIGEST_TIMEZONE") or "UTC"),
        digest_max=int(
            _number("NEWSDIGEST_DIGEST_MAX", get("NEWSDIGEST_DIGEST_MAX") or "10", int, 1)
        ),
        api_base_url=get("TELEGRAM_API_BASE_URL") or None,
        file_base_url=get("TELEGRAM_FILE_BASE_URL") or None,
        max_rate=_number("NEWSDIGEST_MAX_RATE", get("NEWSDIGEST_MAX_RATE") or "29", float, 0.1),
        poll_seconds=_number(
            "NEWSDIGEST_POLL_SECONDS", get("NEWSDIGEST_POLL_SECONDS") or "30", float, 0.05
        ),
        feed_interval_minutes=int(
            _number("NEWSDIGEST_FEED_INTERVAL", get("NEWSDIGEST_FEED_INTERVAL") or "15", int, 1)
        ),
    )


def require_token(settings: Settings) -> str:
    """The bot token, or a ConfigError that says how to get one."""
    if not settings.token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram "
            "(/newbot), then put the token in .env as TELEGRAM_BOT_TOKEN=..."
        )
    if ":" not in settings.token:
        raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (123456:ABC-...)")
    return settings.token
