"""When digests are due: local wall-clock times in IANA time zones (pure)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


def parse_time(text: str) -> time | None:
    """'8:30', '08:30', '08.30' or '08h30' as a time; None when it is not a valid time of day."""
    match = _HHMM.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def parse_zone(name: str) -> ZoneInfo | None:
    """The IANA zone called `name` (case-insensitive for the common forms), or None."""
    name = name.strip()
    if not name or ".." in name or name.startswith("/"):
        return None
    candidates = [name, "/".join(p[:1].upper() + p[1:] for p in name.split("/")), name.upper()]
    for candidate in candidates:
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return None


def next_due(local_time: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after `after` when clocks in `zone` show `local_time`.

    Across daylight-saving changes: a time that does not exist that day (the
    spring-forward gap) is taken at the same distance past the jump, so it fires
    once, late by the gap; a time that happens twice (fall back) fires at its
    first occurrence only.

    Returns:
        An aware datetime in UTC.
    """
    after_utc = after.astimezone(timezone.utc)
    day = after_utc.astimezone(zone).date() - timedelta(days=1)
    for _ in range(4):
        local = datetime.combine(day, local_time, tzinfo=zone)  # fold=0: first occurrence
        moment = local.astimezone(timezone.utc)
        if moment > after_utc:
            return moment
        day += timedelta(days=1)
    raise AssertionError("unreachable: a local time recurs within two days")
