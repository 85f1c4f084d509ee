"""The training services: filings checked by the policy and refused whole, the registry's
status history, complaints received, rate-limited and moved to closure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.models import PolicyOverride
from qingfu.training import services
from qingfu.training.models import (
    Complaint,
    ComplaintEvent,
    Course,
    Filing,
    Institution,
    PrepaidCharge,
    Session,
    StatusChange,
    Trainer,
)
from qingfu.training.tests.conftest import TrainingWorld
from qingfu.training.tests.factories import credit_code

pytestmark = pytest.mark.django_db

SATURDAY = 5


def snapshot() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Course, Session, PrepaidCharge, Trainer, StatusChange, Complaint, ComplaintEvent)
    }


def session(tw: TrainingWorld, **changes: Any) -> services.SessionInput:
    values: dict[str, Any] = {
        "course_id": tw.course.pk,
        "weekday": 2,
        "start": dt.time(18, 30),
        "end": dt.time(20, 10),
        "mode": "offline",
        "lessons": 2,
        "break_minutes": 10,
        "term_first": dt.date(2026, 10, 12),
        "term_last": dt.date(2026, 12, 25),
    }
    return services.SessionInput(**{**values, **changes})


def charge(**changes: Any) -> services.ChargeInput:
    values: dict[str, Any] = {
        "student_label": "QM-2026-017",
        "amount": Decimal("3600"),
        "lesson_hours": 36,
        "months": 3,
        "paid_on": dt.date(2026, 9, 3),
        "into_supervised_account": True,
        "account_bank": "江南银行青禾支行",
    }
    return services.ChargeInput(**{**values, **changes})


def refused(call: Any) -> ValidationFailed:
    before = snapshot()
    with pytest.raises(ValidationFailed) as caught:
        call()
    assert snapshot() == before  # a refusal changes nothing
    return caught.value


def test_a_weekday_evening_session_is_filed_with_its_verdicts(tw: TrainingWorld) -> None:
    made = services.session_file(
        actor=tw.actor("staff"), institution_id=tw.mine.pk, data=session(tw)
    )
    assert made.status == Filing.Status.FILED
    assert made.district_id == tw.mine.district_id
    assert {v["rule_id"] for v in made.verdicts} >= {"trn.times"}
    assert all(v["status"] == "ok" for v in made.verdicts)


def test_a_saturday_academic_session_is_refused_with_the_rule_and_document(
    tw: TrainingWorld,
) -> None:
    error = refused(
        lambda: services.session_file(
            actor=tw.actor("staff"),
            institution_id=tw.mine.pk,
            data=session(tw, weekday=SATURDAY, start=dt.time(9), end=dt.time(10, 40)),
        )
    )
    text = " ".join(error.errors["__all__"])
    assert "节假日不组织学科类培训" in text and "trn." not in text
    assert "周六" in text
    assert "2021" in text  # the opinion's citation


def test_a_late_session_is_refused_by_the_time_rule(tw: TrainingWorld) -> None:
    error = refused(
        lambda: services.session_file(
            actor=tw.actor("staff"),
            institution_id=tw.mine.pk,
            data=session(tw, start=dt.time(19, 20), end=dt.time(21, 0)),
        )
    )
    assert "培训结束时间" in error.errors["__all__"][0]


def test_a_non_academic_saturday_session_is_filed(tw: TrainingWorld) -> None:
    dance = services.course_file(
        actor=tw.actor("other_staff"),
        institution_id=tw.other.pk,
        data=services.CourseInput("少儿舞蹈", "舞蹈", 1, 6, 60, None, Decimal(80)),
    )
    made = services.session_file(
        actor=tw.actor("other_staff"),
        institution_id=tw.other.pk,
        data=session(
            tw,
            course_id=dance.pk,
            weekday=SATURDAY,
            start=dt.time(9),
            end=dt.time(10),
            lessons=1,
            break_minutes=0,
        ),
    )
    assert made.status == Filing.Status.FILED


def test_a_four_month_charge_is_refused(tw: TrainingWorld) -> None:
    error = refused(
        lambda: services.charge_file(
            actor=tw.actor("staff"), institution_id=tw.mine.pk, data=charge(months=4)
        )
    )
    assert "预收费覆盖月数" in error.errors["__all__"][0]
    assert "4" in error.errors["__all__"][0]


def test_a_charge_outside_a_supervised_account_is_refused(tw: TrainingWorld) -> None:
    error = refused(
        lambda: services.charge_file(
            actor=tw.actor("staff"),
            institution_id=tw.mine.pk,
            data=charge(into_supervised_account=False, account_bank="", lesson_hours=61),
        )
    )
    rules = " ".join(error.errors["__all__"])
    assert "预收费进入监管账户" in rules and "预收费覆盖课时" in rules


def test_a_charge_within_the_limits_is_filed(tw: TrainingWorld) -> None:
    made = services.charge_file(actor=tw.actor("staff"), institution_id=tw.mine.pk, data=charge())
    assert made.status == Filing.Status.FILED and made.months == 3


def test_a_markup_over_ten_percent_is_refused(tw: TrainingWorld) -> None:
    error = refused(
        lambda: services.course_file(
            actor=tw.actor("staff"),
            institution_id=tw.mine.pk,
            data=services.CourseInput(
                "初二英语", "英语", 8, 8, 45, Decimal(100), Decimal("110.01")
            ),
        )
    )
    assert "培训收费上浮幅度" in error.errors["__all__"][0]
    ok = services.course_file(
        actor=tw.actor("staff"),
        institution_id=tw.mine.pk,
        data=services.CourseInput("初二英语", "英语", 8, 8, 45, Decimal(100), Decimal(110)),
    )
    assert ok.status == Filing.Status.FILED


def test_a_district_override_tightens_the_filings(tw: TrainingWorld) -> None:
    PolicyOverride.objects.create(
        level=PolicyOverride.Level.DISTRICT, district=tw.world.d1, thresholds={"trn.prepaid": 2}
    )
    refused(
        lambda: services.charge_file(
            actor=tw.actor("staff"), institution_id=tw.mine.pk, data=charge(months=3)
        )
    )


def test_recheck_marks_filings_a_tighter_rule_now_refuses(tw: TrainingWorld) -> None:
    services.charge_file(actor=tw.actor("staff"), institution_id=tw.mine.pk, data=charge())
    PolicyOverride.objects.create(
        level=PolicyOverride.Level.DISTRICT, district=tw.world.d1, thresholds={"trn.prepaid": 2}
    )
    changed = services.institution_recheck(actor=tw.actor("officer"), institution_id=tw.mine.pk)
    assert [(c.kind, [r["rule_id"] for r in c.refusals]) for c in changed] == [
        ("charge", ["trn.prepaid"])
    ]
    row = PrepaidCharge.objects.get()
    assert row.status == Filing.Status.REFUSED
    assert [r["rule_id"] for r in row.refusals] == ["trn.prepaid"]


def test_staff_file_only_for_their_own_institution(tw: TrainingWorld) -> None:
    before = snapshot()
    for institution in (tw.other, tw.far):
        with pytest.raises(NotFound):
            services.charge_file(
                actor=tw.actor("staff"), institution_id=institution.pk, data=charge()
            )
    with pytest.raises(NotFound):  # staff keep no registry
        services.institution_set_status(
            actor=tw.actor("staff"), institution_id=tw.mine.pk, status="blacklisted", reason="x"
        )
    assert snapshot() == before


def test_a_course_of_another_institution_cannot_be_scheduled(tw: TrainingWorld) -> None:
    error = refused(
        lambda: services.session_file(
            actor=tw.actor("other_staff"), institution_id=tw.other.pk, data=session(tw)
        )
    )
    assert "course_id" in error.errors


def test_a_blacklisted_institution_files_nothing(tw: TrainingWorld) -> None:
    services.institution_set_status(
        actor=tw.actor("officer"),
        institution_id=tw.mine.pk,
        status=Institution.Status.BLACKLISTED,
        reason="无证超范围培训，拒不整改",
    )
    refused(
        lambda: services.charge_file(
            actor=tw.actor("staff"), institution_id=tw.mine.pk, data=charge()
        )
    )


def test_status_changes_keep_their_history_and_blacklisting_needs_a_reason(
    tw: TrainingWorld,
) -> None:
    officer = tw.actor("officer")
    refused(
        lambda: services.institution_set_status(
            actor=officer, institution_id=tw.mine.pk, status="blacklisted", reason=" "
        )
    )
    services.institution_set_status(
        actor=officer,
        institution_id=tw.mine.pk,
        status="rectifying",
        reason="消防通道堵塞",
        date=dt.date(2026, 10, 9),
    )
    services.institution_set_status(
        actor=officer,
        institution_id=tw.mine.pk,
        status="blacklisted",
        reason="整改期间违规收费",
        date=dt.date(2026, 11, 2),
    )
    tw.mine.refresh_from_db()
    assert tw.mine.status == "blacklisted" and tw.mine.status_reason == "整改期间违规收费"
    history = list(tw.mine.status_changes.values_list("status", "reason", "changed_by"))
    assert history[:2] == [
        ("blacklisted", "整改期间违规收费", tw.people.officer.pk),
        ("rectifying", "消防通道堵塞", tw.people.officer.pk),
    ]


def _entry(**changes: Any) -> services.InstitutionInput:
    values: dict[str, Any] = {
        "name": "青禾新苗艺术培训",
        "credit_code": credit_code(9001),
        "licence_number": "教民133010070001号",
        "licence_from": dt.date(2026, 3, 1),
        "licence_to": dt.date(2029, 2, 28),
        "category": "non-academic",
        "subcategory": "arts",
        "is_nonprofit": False,
        "address": "青禾区文昌路 8 号",
        "area_m2": Decimal("180"),
    }
    return services.InstitutionInput(**{**values, **changes})


def test_the_registry_checks_the_credit_code(tw: TrainingWorld) -> None:
    officer = tw.actor("officer")
    good = credit_code(9001)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    for code, word in ((good[:17], "18"), (bad_check, "校验"), (tw.mine.credit_code, "已登记")):
        error = refused(
            lambda code=code: services.institution_create(
                actor=officer, district_id=tw.world.d1.pk, data=_entry(credit_code=code)
            )
        )
        assert word in error.errors["credit_code"][0]
    made = services.institution_create(
        actor=officer, district_id=tw.world.d1.pk, data=_entry(credit_code=good.lower())
    )
    assert made.credit_code == good and made.unit.kind == "institution"
    assert made.status_changes.count() == 1
    with pytest.raises(NotFound):  # another district's officer role is needed there
        services.institution_create(
            actor=officer, district_id=tw.world.d2.pk, data=_entry(credit_code=credit_code(9002))
        )


def test_an_academic_trainer_without_a_certificate_is_refused(tw: TrainingWorld) -> None:
    error = refused(
        lambda: services.trainer_add(
            actor=tw.actor("staff"),
            institution_id=tw.mine.pk,
            name="王老师",
            certificate_number="",
            teaches_academic=True,
        )
    )
    assert "学科类培训人员持教师资格证" in error.errors["certificate_number"][0]


def _submit(tw: TrainingWorld, address: str = "10.0.0.1", **changes: Any) -> Complaint:
    values: dict[str, Any] = {
        "district_id": None,
        "institution_id": tw.mine.pk,
        "institution_name": "",
        "what_happened": "周六上午仍在上初二数学课，一次收了半年的费用。",
        "contact": "138****0000",
        "address": address,
        "today": dt.date(2026, 11, 2),
    }
    return services.complaint_submit(**{**values, **changes})


def test_a_complaint_is_received_with_a_deadline_and_moved_to_closure(tw: TrainingWorld) -> None:
    complaint = _submit(tw)
    assert complaint.status == "received" and complaint.district_id == tw.world.d1.pk
    assert complaint.deadline == dt.date(2026, 11, 17)  # trn.complaints: 15 days
    assert complaint.reference.startswith("TS20261102")
    officer = tw.actor("officer")
    refused(
        lambda: services.complaint_move(
            actor=officer, complaint_id=complaint.pk, status="closed", note=""
        )
    )
    for status, note in (
        ("verifying", "已转执法大队核查"),
        ("handling", "责令退费"),
        ("closed", "机构已退还超期费用并停课整改"),
    ):
        services.complaint_move(actor=officer, complaint_id=complaint.pk, status=status, note=note)
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.closed_on is not None
    assert list(complaint.events.values_list("status", flat=True)) == [
        "received",
        "verifying",
        "handling",
        "closed",
    ]
    refused(
        lambda: services.complaint_move(
            actor=officer, complaint_id=complaint.pk, status="handling", note="再查"
        )
    )


def test_rejecting_a_complaint_needs_a_reason(tw: TrainingWorld) -> None:
    complaint = _submit(tw)
    officer = tw.actor("officer")
    error = refused(
        lambda: services.complaint_move(
            actor=officer, complaint_id=complaint.pk, status="rejected", note=""
        )
    )
    assert "note" in error.errors
    services.complaint_move(
        actor=officer, complaint_id=complaint.pk, status="rejected", note="不属于校外培训监管范围"
    )


def test_an_unlisted_institution_can_be_named_and_bad_input_changes_nothing(
    tw: TrainingWorld,
) -> None:
    named = _submit(tw, institution_id=None, institution_name="无名托管班（学府路）")
    assert named.institution is None and named.about == "无名托管班（学府路）"
    error = refused(lambda: _submit(tw, institution_id=999999, what_happened="太短"))
    assert set(error.errors) == {"institution_id", "what_happened"}


def test_complaints_are_rate_limited_per_address(tw: TrainingWorld) -> None:
    for _n in range(services.COMPLAINTS_PER_HOUR):
        _submit(tw, address="10.9.9.9")
    error = refused(lambda: _submit(tw, address="10.9.9.9"))
    assert isinstance(error, services.RateLimited)
    assert "每小时" in error.errors["__all__"][0]
    _submit(tw, address="10.9.9.10")  # another address is not held back


def test_only_the_districts_officer_handles_its_complaints(tw: TrainingWorld) -> None:
    complaint = _submit(tw)
    with pytest.raises(NotFound):
        services.complaint_move(
            actor=tw.actor("staff"), complaint_id=complaint.pk, status="verifying", note=""
        )


def test_an_unlisted_institution_goes_to_the_district_named(tw: TrainingWorld) -> None:
    named = _submit(
        tw, institution_id=None, institution_name="远山无名补习班", district_id=tw.world.d2.pk
    )
    assert named.district_id == tw.world.d2.pk
    about = _submit(tw, district_id=tw.world.d2.pk)  # a registered one's own district wins
    assert about.district_id == tw.mine.district_id


def test_a_status_change_to_the_same_status_changes_nothing(tw: TrainingWorld) -> None:
    refused(
        lambda: services.institution_set_status(
            actor=tw.actor("officer"), institution_id=tw.mine.pk, status="registered", reason=""
        )
    )


def test_the_registry_counts_each_institutions_refused_filings(tw: TrainingWorld) -> None:
    from qingfu.training import selectors

    for label in ("A", "B"):
        services.charge_file(
            actor=tw.actor("staff"), institution_id=tw.mine.pk, data=charge(student_label=label)
        )
    PolicyOverride.objects.create(
        level=PolicyOverride.Level.DISTRICT,
        district=tw.world.d1,
        thresholds={"trn.prepaid": 2, "trn.prices": 4},
    )
    assert (
        len(services.institution_recheck(actor=tw.actor("officer"), institution_id=tw.mine.pk)) == 3
    )
    rows = {
        r.pk: r.refused
        for r in selectors.registry_for(tw.actor("officer"), district_id=tw.world.d1.pk)
    }
    assert rows == {tw.mine.pk: 3, tw.other.pk: 0}


def test_a_filing_is_dated_by_the_schools_clock(tw: TrainingWorld) -> None:
    """On a pinned day (the demo's, a test's) a filing is dated that day, not the machine's:
    the district report counts the period's filings by it, and the demo's were all dated
    after its today (its report said 0 courses filed)."""
    from qingfu.schools.calendars import local_time

    assert local_time(tw.course.filed_at).date() == dt.date(2026, 11, 2)
