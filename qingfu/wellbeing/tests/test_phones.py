"""Phones: the guardian's written application, the head teacher's decision, daily custody."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.actors import actor_for
from qingfu.wellbeing import phones
from qingfu.wellbeing.models import PhoneApplication, PhoneCustody

DAY = dt.date(2026, 11, 23)


def test_application_needs_a_reason_and_the_consent(world) -> None:
    guardian = actor_for(world.users["guardian1"])
    with pytest.raises(ValidationFailed) as err:
        phones.phone_apply(actor=guardian, student_id=world.s1.pk, reason="", consent=False)
    assert set(err.value.errors) == {"reason", "consent"}
    assert not PhoneApplication.objects.exists()
    with pytest.raises(NotFound):  # not their child
        phones.phone_apply(actor=guardian, student_id=world.s2.pk, reason="乘公交", consent=True)


@pytest.mark.clock
def test_head_teacher_approves_and_keeps_the_daily_custody_record(world) -> None:
    application = phones.phone_apply(
        actor=actor_for(world.users["guardian1"]), student_id=world.s1.pk,
        reason="放学后独自乘公交", consent=True,
    )  # fmt: skip
    with pytest.raises(NotFound):  # only the class's head teacher decides
        phones.phone_decide(
            actor=actor_for(world.users["math3"]), application_id=application.pk, approve=True
        )
    head = actor_for(world.users["head31"])
    phones.phone_decide(actor=head, application_id=application.pk, approve=True, note="同意")
    with pytest.raises(ValidationFailed):  # s2 has no approved application (and is in 3(2))
        phones.custody_record(
            actor=head, class_id=world.c31.pk, day=DAY, handed_in={world.s1.pk, world.s2.pk},
            returned=set(),
        )  # fmt: skip
    with pytest.raises(ValidationFailed):  # returned without being handed in
        phones.custody_record(
            actor=head, class_id=world.c31.pk, day=DAY, handed_in=set(), returned={world.s1.pk}
        )
    assert not PhoneCustody.objects.exists()
    phones.custody_record(
        actor=head, class_id=world.c31.pk, day=DAY, handed_in={world.s1.pk}, returned=set()
    )
    phones.custody_record(
        actor=head, class_id=world.c31.pk, day=DAY, handed_in={world.s1.pk}, returned={world.s1.pk}
    )
    record = PhoneCustody.objects.get()
    assert (record.handed_in, record.returned) == (True, True)
    page = world.client("head31").get("/wellbeing/phones/").content.decode()
    assert "张小一" in page and "已还" in page
    assert world.client("guardian1").get(f"/wellbeing/phone/{world.s1.pk}/").status_code == 200
    assert world.client("guardian2").get(f"/wellbeing/phone/{world.s1.pk}/").status_code == 404


@pytest.mark.clock
def test_malformed_form_input_is_a_field_error_not_a_crash(world) -> None:
    decide = world.client("head31").post(
        "/wellbeing/phones/", {"action": "decide", "application_id": "abc"}
    )
    assert decide.status_code == 422 and 'data-field="application_id"' in decide.content.decode()
    book = world.client("admin_a").post(
        "/wellbeing/reading/", {"action": "book", "list_id": "1", "grade_from": "三"}
    )
    assert book.status_code == 422 and 'data-field="grade_from"' in book.content.decode()
    day = world.client("admin_a").post(
        "/wellbeing/", {"primary_start": "8点", "break_minutes": "30", "lesson_minutes": "40"}
    )
    assert day.status_code == 422 and 'data-field="primary_start"' in day.content.decode()
