"""Presentation filters: rates, minutes and dates in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from qingfu.web.templatetags.qingfu import local_date, minutes, percent


def test_rates_and_minutes_show_a_dash_when_withheld() -> None:
    assert percent(0.934) == "93%" and percent(0.9345, 1) == "93.5%" and percent(None) == "—"
    assert minutes(17.25) == "17.2" and minutes(None) == "—"


def test_dates_follow_the_language(settings: object) -> None:
    settings.QINGFU_TODAY = "2026-11-23"  # type: ignore[attr-defined]
    day = dt.date(2026, 11, 23)
    assert local_date(day) == "11月23日"
    assert local_date(day, "long_weekday") == "2026年11月23日 星期一"
    with translation.override("en"):
        assert local_date(day) == "Nov 23"
        assert local_date(day, "long") == "Nov 23, 2026"
        assert local_date(day, "long_weekday") == "Monday, Nov 23, 2026"
    assert local_date(None) == ""


def test_a_date_of_another_year_names_its_year(settings: object) -> None:
    """A list spanning years (the burden clerk's demands) showed 12月23日 for a 2025 demand,
    which reads as the coming December: outside the current year the short forms say it."""
    settings.QINGFU_TODAY = "2026-11-23"  # type: ignore[attr-defined]
    assert local_date(dt.date(2025, 12, 23)) == "2025年12月23日"
    assert local_date(dt.date(2026, 12, 23)) == "12月23日"
    late = dt.datetime(2025, 12, 31, 13, 13, tzinfo=dt.UTC)  # 21:13 in Beijing
    assert local_date(late, "day_time") == "2025年12月31日 21:13"
    assert local_date(dt.date(2027, 1, 4), "day_weekday") == "2027年1月4日 星期一"
    with translation.override("en"):
        assert local_date(dt.date(2025, 12, 23)) == "Dec 23, 2025"
        assert local_date(late, "day_time") == "Dec 31, 2025 21:13"
        assert local_date(dt.date(2026, 12, 23)) == "Dec 23"
