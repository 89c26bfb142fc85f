"""tilskudd.clock: a day is the day in Norway (Europe/Oslo), summer time included, whatever the
machine's own time zone."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tilskudd import clock


@pytest.mark.parametrize(
    ("recorded", "day"),
    [
        ("2026-01-15T22:59:59+00:00", date(2026, 1, 15)),  # 23:59:59 in Oslo (UTC+1)
        ("2026-01-15T23:00:00+00:00", date(2026, 1, 16)),  # midnight in Oslo
        ("2026-07-15T21:59:59+00:00", date(2026, 7, 15)),  # 23:59:59 in summer time (UTC+2)
        ("2026-07-15T22:00:00+00:00", date(2026, 7, 16)),
        # The nights summer time begins and ends (29 March and 25 October 2026).
        ("2026-03-28T23:00:00+00:00", date(2026, 3, 29)),
        ("2026-10-24T22:00:00+00:00", date(2026, 10, 25)),
        ("2026-10-25T22:59:00+00:00", date(2026, 10, 25)),
        ("2026-01-15T23:30:00", date(2026, 1, 16)),  # without a zone: UTC, as recorded
        ("2026-01-15T23:30:00+01:00", date(2026, 1, 15)),  # a zone given is kept
        ("2009-10-12", date(2009, 10, 12)),  # a bare date is that date
    ],
)
def test_the_record_day_is_the_day_in_oslo(recorded: str, day: date) -> None:
    assert clock.record_day(recorded) == day


def test_today_is_oslos_day_whatever_the_clock_says_in_utc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2027, 1, 1)
    assert clock.utc_timestamp() == "2026-12-31T23:30:00+00:00"
    assert clock.record_day(clock.utc_timestamp()) == clock.today()


def test_a_change_is_dated_by_its_decision_else_by_its_record_day() -> None:
    assert clock.change_day("2009-10-12", "2009-10-14T23:30:00+00:00") == date(2009, 10, 12)
    assert clock.change_day(None, "2009-10-14T23:30:00+00:00") == date(2009, 10, 15)


def test_a_time_in_another_zone_is_the_day_in_oslo_at_that_moment() -> None:
    new_york = timezone(timedelta(hours=-5))
    assert clock.day(datetime(2026, 1, 15, 19, 0, tzinfo=new_york)) == date(2026, 1, 16)
    assert clock.day(datetime(2026, 1, 15, 12, 0)) == date(2026, 1, 15)


def test_the_day_in_norway_is_known_on_a_machine_without_a_time_zone_database(
    tmp_path: Path,
) -> None:
    # Slim Linux images (and Windows) have no /usr/share/zoneinfo: Europe/Oslo must then come
    # from the tzdata package tilskudd depends on, not fail on import.
    said = "from tilskudd import clock; print(clock.record_day('2026-01-15T23:00:00+00:00'))"
    done = subprocess.run(
        [sys.executable, "-c", said],
        env={**os.environ, "PYTHONTZPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2026-01-16"  # midnight in Oslo
