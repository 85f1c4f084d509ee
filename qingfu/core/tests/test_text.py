"""Pure modules' messages follow the request's language once core is ready."""

import datetime as dt

from django.utils import translation

from qingfu.core import text


def test_a_pure_module_message_is_translated_for_an_english_reader() -> None:
    with translation.override("en"):
        english = text._("今天")
    with translation.override("zh-hans"):
        chinese = text._("今天")
    assert chinese == "今天"
    assert english != chinese and english.lower() == "today"


def test_a_marked_message_is_returned_as_written() -> None:
    assert text.gettext_noop("今天") == "今天"


def test_the_active_language_is_named_for_pure_modules() -> None:
    with translation.override("en"):
        assert text.language() == "en" and text.is_english()
    with translation.override("zh-hans"):
        assert text.language() == "zh-hans" and not text.is_english()


def test_dates_in_sentences_follow_the_language() -> None:
    day = dt.date(2026, 9, 1)
    with translation.override("zh-hans"):
        assert (text.long_date(day), text.month_day(day)) == ("2026年9月1日", "9月1日")
        assert text.year_month(day) == "2026年9月"
    with translation.override("en"):
        assert (text.long_date(day), text.month_day(day)) == ("1 September 2026", "1 September")
        assert text.year_month(day) == "September 2026"
