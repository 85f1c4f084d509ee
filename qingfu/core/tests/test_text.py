"""Pure modules' messages follow the request's language once core is ready."""

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
