"""Due times in IANA zones, across daylight-saving changes."""

from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.schedule import next_due, parse_time, parse_zone

UTC = timezone.utc
NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("08:00", time(8)), ("7:30", time(7, 30)), ("23.59", time(23, 59)), ("06h15", time(6, 15))],
)
def test_parse_time_accepts_common_forms(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:99", "24:00", "8", "08:60", "noon", "", "-1:00"])
def test_parse_time_rejects_what_is_not_a_time_of_day(text: str) -> None:
    assert parse_time(text) is None


def test_parse_zone_knows_iana_names_and_refuses_paths() -> None:
    assert parse_zone("europe/berlin") == BERLIN
    assert parse_zone("UTC") == ZoneInfo("UTC")
    for bad in ["Mars/Olympus", "../../etc/passwd", "/etc/localtime", ""]:
        assert parse_zone(bad) is None


def test_next_due_later_today_or_tomorrow() -> None:
    after = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert next_due(time(9, 0), BERLIN, after) == datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
    assert next_due(time(8, 0), BERLIN, after) == datetime(2026, 11, 29, 7, 0, tzinfo=UTC)


def test_spring_forward_gap_fires_once_just_after_the_jump() -> None:
    # 2026-03-08: New York clocks jump from 02:00 to 03:00; 02:30 does not exist.
    after = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)  # 00:00 EST
    due = next_due(time(2, 30), NY, after)
    assert due == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT
    assert next_due(time(2, 30), NY, due) == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)


def test_fall_back_repeated_hour_fires_only_the_first_time() -> None:
    # 2026-11-01: New York clocks go from 02:00 EDT back to 01:00 EST; 01:30 happens twice.
    after = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # 00:00 EDT
    first = next_due(time(1, 30), NY, after)
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second_occurrence = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert next_due(time(1, 30), NY, first) == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)
    assert next_due(time(1, 30), NY, first) != second_occurrence


def test_local_time_stays_put_across_dst_in_utc_terms() -> None:
    before = next_due(
        time(8, 0), BERLIN, datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    )  # Fri; Sun 29th is DST
    after = next_due(time(8, 0), BERLIN, before)
    assert before.astimezone(BERLIN).hour == after.astimezone(BERLIN).hour == 8
    assert (before.hour, after.hour) == (7, 6)  # CET then CEST
