"""Settings from the environment and .env: defaults, and one-line errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings, require_token


def test_defaults() -> None:
    settings = load_settings({}, env_file=None)
    assert settings == Settings() and settings.feed_interval_minutes == 15
    assert str(settings.db_path) == "data/newsdigest.db" and settings.timezone == "UTC"


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "NEWSDIGEST_ADMIN_IDS=1, 2\nNEWSDIGEST_TIMEZONE=Europe/Berlin\nNEWSDIGEST_DB=x.db\n"
    )
    settings = load_settings({"NEWSDIGEST_DB": "y.db"}, env_file=env_file)
    assert settings.admin_ids == {1, 2}
    assert settings.timezone == "Europe/Berlin"
    assert str(settings.db_path) == "y.db"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("NEWSDIGEST_ADMIN_IDS", "me", "NEWSDIGEST_ADMIN_IDS must be comma-separated numeric"),
        ("NEWSDIGEST_TIMEZONE", "Mars/Base", "NEWSDIGEST_TIMEZONE: unknown time zone 'Mars/Base'"),
        ("NEWSDIGEST_DIGEST_MAX", "0", "NEWSDIGEST_DIGEST_MAX must be at least 1"),
        ("NEWSDIGEST_MAX_RATE", "fast", "NEWSDIGEST_MAX_RATE must be a number"),
        ("NEWSDIGEST_FEED_INTERVAL", "0", "NEWSDIGEST_FEED_INTERVAL must be at least 1"),
        ("NEWSDIGEST_FEED_INTERVAL", "1.5", "NEWSDIGEST_FEED_INTERVAL must be a whole number"),
    ],
)
def test_bad_values_name_the_key(key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({key: value}, env_file=None)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_missing_token_says_how_to_get_one() -> None:
    with pytest.raises(ConfigError, match="@BotFather"):
        require_token(load_settings({}, env_file=None))
    with pytest.raises(ConfigError, match="does not look like a bot token"):
        require_token(load_settings({"TELEGRAM_BOT_TOKEN": "nonsense"}, env_file=None))
