"""The clock: the time a record is made, and the day it is, where the officers are.

A ledger records times in UTC (``2026-01-15T23:30:00+00:00``), but a day means the day in
Norway (:data:`TIMEZONE`, Europe/Oslo, with its summer time): "today" for ``--decided`` and
the day a change was recorded, by which a change without ``--decided`` is dated, are both
days there, whatever the machine's own time zone. Between midnight in Oslo and 01:00 (02:00 in
summer) UTC still says yesterday; with one definition a change decided "today" and one recorded
a minute later are the same day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "TIMEZONE",
    "change_day",
    "day",
    "first_round_year",
    "now",
    "record_day",
    "today",
    "utc_timestamp",
]

TIMEZONE = ZoneInfo("Europe/Oslo")
"""Where the officers are: the zone a day is a day in."""


def now() -> datetime:
    """The time now, in UTC, to the second. (Tests set the clock by replacing this.)"""
    return datetime.now(UTC).replace(microsecond=0)


def utc_timestamp() -> str:
    """The time now as the ledger records it: ISO 8601 in UTC (``2026-01-15T23:30:00+00:00``)."""
    return now().isoformat()


def today() -> date:
    """Today in Norway."""
    return now().astimezone(TIMEZONE).date()


def day(when: datetime) -> date:
    """The day in Norway at the time ``when`` (one without a zone is read as UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(TIMEZONE).date()


def record_day(timestamp: str) -> date:
    """The day in Norway of a recorded time (ISO 8601; one without a zone is read as UTC, and
    a bare date is that date)."""
    if len(timestamp) == 10:
        return date.fromisoformat(timestamp)
    return day(datetime.fromisoformat(timestamp))


def change_day(decided: str | None, created: str) -> date:
    """The day a change to an award is dated by: the day it was decided, where the officer
    gave it, else the day in Norway it was recorded."""
    return date.fromisoformat(decided[:10]) if decided else record_day(created)


def first_round_year(today: date) -> int:
    """The year of a new programme's example rounds, and of the template's example application
    id: this year while its first round (closing 1 March) is still open for applications, else
    next year. A programme made in November is for next year's rounds, not for dates already
    past."""
    return today.year if today <= date(today.year, 3, 1) else today.year + 1
