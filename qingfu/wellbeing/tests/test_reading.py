"""The reading list: review steps in order with a record, once a school year, no purchase."""

from __future__ import annotations

import pytest

from qingfu.core.errors import Forbidden, ValidationFailed
from qingfu.schools.actors import actor_for
from qingfu.wellbeing import reading
from qingfu.wellbeing.models import ReadingList

BOOK = reading.BookInput("草房子", "曹文轩", 3, 6, "成长与友谊", "人民文学出版社")


def test_the_list_goes_through_its_review_steps_with_a_record(world) -> None:
    admin = actor_for(world.users["admin_a"])
    rl = reading.list_start(actor=admin, school_id=world.a.pk, school_year="2026—2027")
    with pytest.raises(ValidationFailed):  # empty list cannot move on
        reading.list_advance(actor=admin, list_id=rl.pk)
    with pytest.raises(ValidationFailed) as err:
        reading.book_add(actor=admin, list_id=rl.pk, book=reading.BookInput("", "x", 5, 3, ""))
    assert set(err.value.errors) == {"title", "grade_from", "reason"}
    reading.book_add(actor=admin, list_id=rl.pk, book=BOOK)
    with pytest.raises(ValidationFailed) as err:  # the review needs its record
        reading.list_advance(actor=admin, list_id=rl.pk)
    assert "note" in err.value.errors
    reading.list_advance(actor=admin, list_id=rl.pk, note="语文组 5 人评议，一致通过")
    with pytest.raises(ValidationFailed):  # no more books after drafting
        reading.book_add(actor=admin, list_id=rl.pk, book=BOOK)
    reading.list_advance(actor=admin, list_id=rl.pk)
    reading.list_advance(actor=admin, list_id=rl.pk)
    rl = ReadingList.objects.get(pk=rl.pk)
    assert rl.step == "filed" and [h["step"] for h in rl.history] == [
        "draft", "reviewed", "confirmed", "filed",
    ]  # fmt: skip
    with pytest.raises(Forbidden):
        reading.list_advance(actor=actor_for(world.users["head31"]), list_id=rl.pk)


@pytest.mark.clock
def test_a_second_list_in_a_school_year_warns(world) -> None:
    admin = actor_for(world.users["admin_a"])
    reading.list_start(actor=admin, school_id=world.a.pk, school_year="2026—2027")
    assert reading.year_verdict(world.a, "2026—2027").status == "ok"
    reading.list_start(actor=admin, school_id=world.a.pk, school_year="2026—2027")
    verdict = reading.year_verdict(world.a, "2026—2027")
    assert verdict.status == "warn" and verdict.rule_id == "reading.recommend"
    page = world.client("admin_a").get("/wellbeing/reading/").content.decode()
    assert "不组织、不强制、不变相要求购买" in page
