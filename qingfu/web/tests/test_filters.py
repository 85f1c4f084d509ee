"""Presentation filters: rates, minutes and dates in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from qingfu.web.templatetags.qingfu import local_date, minutes, percent


def test_rates_and_minutes_show_a_dash_when_withheld() -> None:
    assert percent(0.934) == "93%" and percent(0.9345, 1) == "93.5%" and percent(None) == "—"
    assert minutes(17.25) == "17.2" and minutes(None) == "—"


def test_dates_follow_the_language() -> None:
    day = dt.date(2026, 11, 23)
    assert local_date(day) == "11月23日"
    assert local_date(day, "long_weekday") == "2026年11月23日 星期一"
    with translation.override("en"):
        assert local_date(day) == "Nov 23"
        assert local_date(day, "long") == "Nov 23, 2026"
        assert local_date(day, "long_weekday") == "Monday, Nov 23, 2026"
    assert local_date(None) == ""
