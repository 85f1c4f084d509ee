"""Writes for off-campus training: the officer's registry, the institutions' filings, the
public's complaints and their handling.

A filing (a course and its price, a weekly session, a prepaid charge) is checked by
``qingfu.policy.training`` against the district's profile and school calendar before
anything is written. A violation refuses it: ``ValidationFailed`` carrying each rule's
message, id and document, and nothing is saved — the institution corrects the form and
files again. The verdicts of an accepted filing are stored with it. When the rules move
under filings already accepted (the district tightens a threshold, adds a closure day),
``institution_recheck`` checks them again and marks the ones now breaking a rule refused,
with those verdicts: a refused row is a record, never something in force.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from qingfu.core.actor import Actor
from qingfu.core.errors import ValidationFailed
from qingfu.policy import training as policy
from qingfu.policy.verdicts import Verdict
from qingfu.schools.calendars import local_today
from qingfu.schools.models import District, Unit
from qingfu.training import selectors
from qingfu.training.codes import credit_code_problem, normalized
from qingfu.training.models import (
    ACADEMIC_SUBCATEGORIES,
    Category,
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
from qingfu.training.refusals import refusal_text, verdict_row

# Complaints one address may submit in an hour: enough for a parent with a second thought,
# too few to flood the officer's list.
COMPLAINTS_PER_HOUR = 5


def _refuse_on_violation(verdicts: list[Verdict], field: str = "__all__") -> list[dict[str, Any]]:
    """The verdicts as stored, or ``ValidationFailed`` with each broken rule's sentence on
    ``field`` (the form field the rule is about, shown next to it; a filing's rules are
    about the whole form)."""
    rows = [verdict_row(v) for v in verdicts]
    refused = [r for r in rows if r["status"] == "violation"]
    if refused:
        raise ValidationFailed({field: [refusal_text(r) for r in refused]})
    return rows


def _limits(
    errors: dict[str, list[str]],
    *,
    texts: dict[str, tuple[str, int]] | None = None,
    numbers: dict[str, tuple[Decimal | int, Decimal | int]] | None = None,
) -> None:
    """Lengths and sizes the columns hold: the API's schemas do not bound them, and a value
    too long for its column must be the field's error, not the database's."""
    for name, (text, limit) in (texts or {}).items():
        if len(text.strip()) > limit and name not in errors:
            errors[name] = [_("不超过 %(n)d 个字。") % {"n": limit}]
    for name, (number, most) in (numbers or {}).items():
        if number > most and name not in errors:
            errors[name] = [_("不能大于 %(n)s。") % {"n": most}]


# --- the registry (the officer) ---------------------------------------------------------------


@dataclass(frozen=True)
class InstitutionInput:
    name: str
    credit_code: str
    licence_number: str
    licence_from: dt.date | None
    licence_to: dt.date | None
    category: str
    subcategory: str
    is_nonprofit: bool
    address: str
    area_m2: Decimal


def validate_institution(data: InstitutionInput, *, exclude_id: int | None = None) -> str:
    errors: dict[str, list[str]] = {}
    code = normalized(data.credit_code)
    problem = credit_code_problem(code)
    if problem == "length":
        errors["credit_code"] = [_("统一社会信用代码应为 18 位。")]
    elif problem == "character":
        errors["credit_code"] = [_("统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）。")]
    elif problem == "check":
        errors["credit_code"] = [_("统一社会信用代码校验位不符，请核对是否输错。")]
    elif Institution.objects.filter(credit_code=code).exclude(pk=exclude_id or 0).exists():
        errors["credit_code"] = [_("该统一社会信用代码已登记。")]
    if not data.name.strip():
        errors["name"] = [_("请填写机构名称。")]
    if data.category not in Category.values:
        errors["category"] = [_("请选择学科类或非学科类。")]
    elif (data.category == Category.ACADEMIC) != (data.subcategory in ACADEMIC_SUBCATEGORIES):
        errors["subcategory"] = [_("细类与类别不符。")]
    if data.licence_from and data.licence_to and data.licence_to < data.licence_from:
        errors["licence_to"] = [_("许可证有效期止不能早于起始日期。")]
    if data.area_m2 <= 0:
        errors["area_m2"] = [_("场所面积应大于 0。")]
    _limits(
        errors,
        texts={
            "name": (data.name, 100),
            "licence_number": (data.licence_number, 60),
            "address": (data.address, 200),
        },
        numbers={"area_m2": (data.area_m2, Decimal("9999999.9"))},
    )
    if errors:
        raise ValidationFailed(errors)
    return code


def entry_differs(institution: Institution, data: InstitutionInput) -> bool:
    """Would ``data`` change the institution's entry? (An import of the same file again
    changes nothing.)"""
    return (
        institution.unit.name,
        institution.credit_code,
        institution.licence_number,
        institution.licence_from,
        institution.licence_to,
        institution.category,
        institution.subcategory,
        institution.is_nonprofit,
        institution.address,
        institution.area_m2,
    ) != (
        data.name.strip(),
        normalized(data.credit_code),
        data.licence_number.strip(),
        data.licence_from,
        data.licence_to,
        data.category,
        data.subcategory,
        data.is_nonprofit,
        data.address.strip(),
        data.area_m2,
    )


def _unit_code() -> str:
    return f"INST-{secrets.token_hex(4).upper()}"


def institution_create(
    *, actor: Actor, district_id: int, data: InstitutionInput, today: dt.date | None = None
) -> Institution:
    """Put an institution on the district's registry (status 在册 from ``today``)."""
    district = selectors.officer_district(actor, district_id)
    code = validate_institution(data)
    day = today or local_today()
    try:
        return _institution_insert(actor, district, code, data, day)
    except IntegrityError:  # the same code registered at the same moment
        raise ValidationFailed.single("credit_code", _("该统一社会信用代码已登记。")) from None


def _institution_insert(
    actor: Actor, district: District, code: str, data: InstitutionInput, day: dt.date
) -> Institution:
    with transaction.atomic():
        unit = Unit.objects.create(
            district=district,
            kind=Unit.Kind.INSTITUTION,
            name=data.name.strip(),
            code=_unit_code(),
        )
        institution = Institution.objects.create(
            unit=unit,
            district=district,
            credit_code=code,
            licence_number=data.licence_number.strip(),
            licence_from=data.licence_from,
            licence_to=data.licence_to,
            category=data.category,
            subcategory=data.subcategory,
            is_nonprofit=data.is_nonprofit,
            address=data.address.strip(),
            area_m2=data.area_m2,
            status=Institution.Status.REGISTERED,
            status_since=day,
        )
        StatusChange.objects.create(
            institution=institution,
            district=district,
            status=Institution.Status.REGISTERED,
            reason=_("登记在册"),
            date=day,
            changed_by_id=actor.user_id,
        )
    return institution


def institution_update(*, actor: Actor, institution_id: int, data: InstitutionInput) -> Institution:
    """Correct an institution's registry entry (its status moves only through
    ``institution_set_status``, which keeps the history)."""
    institution = selectors.institution_for_officer(actor, institution_id)
    code = validate_institution(data, exclude_id=institution.pk)
    with transaction.atomic():
        Unit.objects.filter(pk=institution.unit_id).update(name=data.name.strip())
        for name, value in (
            ("credit_code", code),
            ("licence_number", data.licence_number.strip()),
            ("licence_from", data.licence_from),
            ("licence_to", data.licence_to),
            ("category", data.category),
            ("subcategory", data.subcategory),
            ("is_nonprofit", data.is_nonprofit),
            ("address", data.address.strip()),
            ("area_m2", data.area_m2),
        ):
            setattr(institution, name, value)
        institution.save()
    institution.unit.name = data.name.strip()
    return institution


def institution_set_status(
    *,
    actor: Actor,
    institution_id: int,
    status: str,
    reason: str,
    date: dt.date | None = None,
) -> Institution:
    """Move an institution to ``status`` from ``date``, recorded in its history.

    Blacklisting, rectification and deregistration need a reason: it is what the public page
    and the institution are told."""
    found = selectors.institution_for_officer(actor, institution_id)
    if status not in Institution.Status.values:
        raise ValidationFailed.single("status", _("未知的状态。"))
    reason = reason.strip()
    if len(reason) > 300:
        raise ValidationFailed.single("reason", _("不超过 %(n)d 个字。") % {"n": 300})
    if status != Institution.Status.REGISTERED and not reason:
        raise ValidationFailed.single("reason", _("请填写原因（将在公示页面显示）。"))
    day = date or local_today()
    with transaction.atomic():
        # Locked, so two officers changing the status at once leave one history in order.
        institution = Institution.objects.select_for_update().get(pk=found.pk)
        if status == institution.status:
            raise ValidationFailed.single("status", _("机构已是该状态。"))
        institution.status, institution.status_since = status, day
        institution.status_reason = reason
        institution.save(update_fields=["status", "status_since", "status_reason"])
        StatusChange.objects.create(
            institution=institution,
            district_id=institution.district_id,
            status=status,
            reason=reason,
            date=day,
            changed_by_id=actor.user_id,
        )
    return institution


def _trainer_checked(
    institution: Institution, name: str, certificate_number: str, teaches_academic: bool
) -> tuple[str, str]:
    """The name and certificate number as stored, or ``ValidationFailed``: a name, the
    columns' lengths, and a certificate for academic training (``trn.nonprofit.certificate``)."""
    if not name.strip():
        raise ValidationFailed.single("name", _("请填写姓名。"))
    errors: dict[str, list[str]] = {}
    _limits(errors, texts={"name": (name, 50), "certificate_number": (certificate_number, 40)})
    if errors:
        raise ValidationFailed(errors)
    facts = policy.InstitutionFacts(
        category="academic" if institution.is_academic else "non-academic",
        is_nonprofit=True,
        trainers=(policy.TrainerFacts(name.strip(), teaches_academic, certificate_number.strip()),),
    )
    verdicts = policy.check_institution_registration(
        selectors.profile_for_district(institution.district), institution=facts
    )
    _refuse_on_violation(
        [v for v in verdicts if v.rule_id == "trn.nonprofit.certificate"],
        field="certificate_number",
    )
    return name.strip(), certificate_number.strip()


def trainer_add(
    *,
    actor: Actor,
    institution_id: int,
    name: str,
    certificate_number: str,
    teaches_academic: bool,
) -> Trainer:
    """A trainer on the institution's public list (staff of the institution, or the officer).

    Academic training needs a teaching certificate (``trn.nonprofit.certificate``): a trainer
    who teaches academic subjects without one is refused."""
    institution = selectors.institution_for_writer(actor, institution_id)
    name, certificate = _trainer_checked(institution, name, certificate_number, teaches_academic)
    return Trainer.objects.create(
        institution=institution,
        district_id=institution.district_id,
        name=name,
        certificate_number=certificate,
        teaches_academic=teaches_academic,
    )


def trainer_update(
    *,
    actor: Actor,
    trainer_id: int,
    name: str,
    certificate_number: str,
    teaches_academic: bool,
) -> Trainer:
    """Correct a trainer's entry (the same people as ``trainer_add``, the same checks)."""
    trainer = selectors.trainer_for_writer(actor, trainer_id)
    name, certificate = _trainer_checked(
        trainer.institution, name, certificate_number, teaches_academic
    )
    trainer.name, trainer.certificate_number = name, certificate
    trainer.teaches_academic = teaches_academic
    trainer.save(update_fields=["name", "certificate_number", "teaches_academic"])
    return trainer


def trainer_remove(*, actor: Actor, trainer_id: int) -> str:
    """Take a trainer off the institution's list (the same people as ``trainer_add``) and
    return their name.

    The row is deleted: a name and a certificate number are personal data, kept no longer
    than the list needs them, and no other record refers to a trainer (a visit's checklist
    keeps counts, not trainers). A record that comes to refer to one must do so with
    ``on_delete=PROTECT``: the removal is then refused with a message instead of taking
    that record's history with it."""
    trainer = selectors.trainer_for_writer(actor, trainer_id)
    name = trainer.name
    try:
        with transaction.atomic():
            trainer.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationFailed.single(
            "__all__", _("其他记录引用了该培训人员，不能删除。")
        ) from None
    return name


def registration_verdicts(institution: Institution) -> list[Verdict]:
    """Non-profit registration and trainers' certificates as the registry stands."""
    facts = policy.InstitutionFacts(
        category="academic" if institution.is_academic else "non-academic",
        is_nonprofit=institution.is_nonprofit,
        trainers=tuple(
            policy.TrainerFacts(t.name, t.teaches_academic, t.certificate_number)
            for t in institution.trainers.all()
        ),
    )
    return policy.check_institution_registration(
        selectors.profile_for_district(institution.district), institution=facts
    )


# --- filings (an institution's staff) --------------------------------------------------------


def _open_for_filing(institution: Institution) -> None:
    if institution.status in (Institution.Status.BLACKLISTED, Institution.Status.DEREGISTERED):
        raise ValidationFailed.single(
            "__all__",
            _("机构状态为“%(status)s”，不能备案。") % {"status": institution.get_status_display()},
        )


@dataclass(frozen=True)
class CourseInput:
    name: str
    subject: str
    grade_from: int
    grade_to: int
    lesson_minutes: int
    benchmark_price: Decimal | None
    price: Decimal


def _course_verdicts(institution: Institution, data: CourseInput) -> list[Verdict]:
    if not institution.is_academic:
        return []  # 指导价 covers academic training only
    if data.benchmark_price is None or data.benchmark_price <= 0:
        raise ValidationFailed.single(
            "benchmark_price", _("学科类课程须填写政府指导价（基准价）。")
        )
    profile = selectors.profile_for_district(institution.district)
    return [policy.check_course_price(profile, benchmark=data.benchmark_price, price=data.price)]


def course_file(*, actor: Actor, institution_id: int, data: CourseInput) -> Course:
    """File a course and its price; a markup over the benchmark beyond ``trn.prices`` is
    refused and nothing is saved."""
    institution = selectors.institution_for_writer(actor, institution_id)
    _open_for_filing(institution)
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("请填写课程名称。")]
    if not 1 <= data.grade_from <= data.grade_to <= 12:
        errors["grade_to"] = [_("年级范围应在 1 到 12 年级之间，且起始不晚于截止。")]
    if not 1 <= data.lesson_minutes <= 240:
        errors["lesson_minutes"] = [_("课时长度应在 1 到 240 分钟之间。")]
    if data.price < 0:
        errors["price"] = [_("收费不能为负数。")]
    _limits(
        errors,
        texts={"name": (data.name, 100), "subject": (data.subject, 30)},
        numbers={
            "price": (data.price, Decimal("999999.99")),
            "benchmark_price": (data.benchmark_price or 0, Decimal("999999.99")),
        },
    )
    if errors:
        raise ValidationFailed(errors)
    rows = _refuse_on_violation(_course_verdicts(institution, data))
    return Course.objects.create(
        institution=institution,
        district_id=institution.district_id,
        status=Filing.Status.FILED,
        verdicts=rows,
        filed_by_id=actor.user_id,
        name=data.name.strip(),
        subject=data.subject.strip(),
        grade_from=data.grade_from,
        grade_to=data.grade_to,
        lesson_minutes=data.lesson_minutes,
        benchmark_price=data.benchmark_price,
        price=data.price,
    )


@dataclass(frozen=True)
class SessionInput:
    course_id: int
    weekday: int
    start: dt.time
    end: dt.time
    mode: str
    lessons: int
    break_minutes: int
    term_first: dt.date
    term_last: dt.date


def _session_verdicts(
    institution: Institution, course: Course, data: SessionInput
) -> list[Verdict]:
    errors: dict[str, list[str]] = {}
    if not 0 <= data.weekday <= 6:
        errors["weekday"] = [_("请选择星期几。")]
    if data.mode not in Session.Mode.values:
        errors["mode"] = [_("请选择线上或线下。")]
    if data.term_last < data.term_first:
        errors["term_last"] = [_("本期末日不能早于首日。")]
    elif (data.term_last - data.term_first).days > 366:
        errors["term_last"] = [_("一期不超过一年。")]
    if data.start == data.end:
        errors["end"] = [_("结束时间应晚于开始时间。")]
    if errors:
        raise ValidationFailed(errors)
    try:
        session = policy.TrainingSession(
            category="academic" if institution.is_academic else "non-academic",
            mode="online" if data.mode == Session.Mode.ONLINE else "offline",
            start=data.start,
            end=data.end,
            lesson_minutes=course.lesson_minutes,
            lessons=data.lessons,
            break_minutes=data.break_minutes,
        )
    except ValueError:
        raise ValidationFailed.single(
            "lessons",
            _("%(n)d 节 %(m)d 分钟的课加课间排不进 %(start)s–%(end)s。")
            % {
                "n": data.lessons,
                "m": course.lesson_minutes,
                "start": data.start.strftime("%H:%M"),
                "end": data.end.strftime("%H:%M"),
            },
        ) from None
    calendars = selectors.district_calendars(
        institution.district_id, data.term_first, data.term_last
    )
    if not calendars and institution.is_academic:
        raise ValidationFailed.single(
            "__all__", _("本区县尚未发布校历，学科类培训安排暂不能备案。")
        )
    return (
        policy.check_weekly_session(
            selectors.profile_for_district(institution.district),
            session=session,
            weekday=data.weekday,
            term_first=data.term_first,
            term_last=data.term_last,
            calendar=calendars,
        )
        if calendars
        else policy.check_training_session(
            selectors.profile_for_district(institution.district),
            session=session,
            days=[],
            calendar=[],
        )
    )


def session_file(*, actor: Actor, institution_id: int, data: SessionInput) -> Session:
    """File a weekly session of one of the institution's filed courses over a term; an
    academic session on the students' rest days, or one breaking the time rules, is refused
    and nothing is saved."""
    institution = selectors.institution_for_writer(actor, institution_id)
    _open_for_filing(institution)
    course = Course.objects.filter(
        pk=data.course_id, institution=institution, status=Filing.Status.FILED
    ).first()
    if course is None:
        raise ValidationFailed.single("course_id", _("请选择本机构已备案的课程。"))
    rows = _refuse_on_violation(_session_verdicts(institution, course, data))
    return Session.objects.create(
        institution=institution,
        district_id=institution.district_id,
        status=Filing.Status.FILED,
        verdicts=rows,
        filed_by_id=actor.user_id,
        course=course,
        weekday=data.weekday,
        start=data.start,
        end=data.end,
        mode=data.mode,
        lessons=data.lessons,
        break_minutes=data.break_minutes,
        term_first=data.term_first,
        term_last=data.term_last,
    )


@dataclass(frozen=True)
class ChargeInput:
    student_label: str
    amount: Decimal
    lesson_hours: int
    months: int
    paid_on: dt.date
    into_supervised_account: bool
    account_bank: str


def _charge_verdicts(institution: Institution, data: ChargeInput) -> list[Verdict]:
    return policy.check_prepaid_charge(
        selectors.profile_for_district(institution.district),
        charge=policy.PrepaidCharge(
            amount=data.amount,
            lesson_hours=data.lesson_hours,
            months=data.months,
            into_supervised_account=data.into_supervised_account,
        ),
    )


def charge_file(*, actor: Actor, institution_id: int, data: ChargeInput) -> PrepaidCharge:
    """File one prepaid charge; more months or lesson-hours than ``trn.prepaid`` allows, or
    money outside a supervised account, is refused and nothing is saved."""
    institution = selectors.institution_for_writer(actor, institution_id)
    _open_for_filing(institution)
    errors: dict[str, list[str]] = {}
    if not data.student_label.strip():
        errors["student_label"] = [_("请填写机构内部的学员编号（不填姓名等个人信息）。")]
    if data.amount < 0:
        errors["amount"] = [_("金额不能为负数。")]
    _limits(
        errors,
        texts={"student_label": (data.student_label, 40), "account_bank": (data.account_bank, 60)},
        numbers={
            "amount": (data.amount, Decimal("99999999.99")),
            "lesson_hours": (data.lesson_hours, 32767),
            "months": (data.months, 32767),
        },
    )
    if data.months < 1:
        errors["months"] = [_("覆盖月数至少为 1。")]
    if data.lesson_hours < 1:
        errors["lesson_hours"] = [_("课时数至少为 1。")]
    if data.into_supervised_account and not data.account_bank.strip():
        errors["account_bank"] = [_("请填写监管账户所在银行。")]
    if errors:
        raise ValidationFailed(errors)
    rows = _refuse_on_violation(_charge_verdicts(institution, data))
    return PrepaidCharge.objects.create(
        institution=institution,
        district_id=institution.district_id,
        status=Filing.Status.FILED,
        verdicts=rows,
        filed_by_id=actor.user_id,
        student_label=data.student_label.strip(),
        amount=data.amount,
        lesson_hours=data.lesson_hours,
        months=data.months,
        paid_on=data.paid_on,
        into_supervised_account=data.into_supervised_account,
        account_bank=data.account_bank.strip(),
    )


@dataclass(frozen=True)
class Rechecked:
    """A filing a recheck found breaking the rules now: which one, and the verdicts it
    was refused with (each rule's id, message and document)."""

    kind: str  # "course", "session" or "charge"
    filing_id: int
    verdicts: list[dict[str, Any]]

    @property
    def refusals(self) -> list[dict[str, Any]]:
        return [v for v in self.verdicts if v["status"] == "violation"]


def institution_recheck(*, actor: Actor, institution_id: int) -> list[Rechecked]:
    """Check an institution's filed courses, sessions and charges again under today's profile
    and calendar (after the district changed its profile or calendar); those now breaking a
    rule become refused with the new verdicts. Returns what changed: the filings refused,
    each with its verdicts (empty when everything filed still stands)."""
    institution = selectors.institution_for_officer(actor, institution_id)
    changed: list[Rechecked] = []
    with transaction.atomic():
        for course in institution.courses.filter(status=Filing.Status.FILED):
            data = CourseInput(
                course.name,
                course.subject,
                course.grade_from,
                course.grade_to,
                course.lesson_minutes,
                course.benchmark_price,
                course.price,
            )
            changed += _mark("course", course, _course_verdicts(institution, data))
        for session in institution.sessions.filter(status=Filing.Status.FILED).select_related(
            "course"
        ):
            sdata = SessionInput(
                session.course_id,
                session.weekday,
                session.start,
                session.end,
                session.mode,
                session.lessons,
                session.break_minutes,
                session.term_first,
                session.term_last,
            )
            changed += _mark(
                "session", session, _session_verdicts(institution, session.course, sdata)
            )
        for charge in institution.charges.filter(status=Filing.Status.FILED):
            cdata = ChargeInput(
                charge.student_label,
                charge.amount,
                charge.lesson_hours,
                charge.months,
                charge.paid_on,
                charge.into_supervised_account,
                charge.account_bank,
            )
            changed += _mark("charge", charge, _charge_verdicts(institution, cdata))
    return changed


def sessions_breaking_rules(institution: Institution) -> int:
    """How many of the institution's filed sessions the current profile and calendar would
    refuse (a read: nothing is marked; an inspection's checklist shows the number)."""
    found = 0
    for session in institution.sessions.filter(status=Filing.Status.FILED).select_related("course"):
        data = SessionInput(
            session.course_id,
            session.weekday,
            session.start,
            session.end,
            session.mode,
            session.lessons,
            session.break_minutes,
            session.term_first,
            session.term_last,
        )
        try:
            verdicts = _session_verdicts(institution, session.course, data)
        except ValidationFailed:
            continue  # a row the form could no longer take is the registry's to correct
        found += any(v.status.value == "violation" for v in verdicts)
    return found


def _mark(kind: str, filing: Filing, verdicts: list[Verdict]) -> list[Rechecked]:
    rows = [verdict_row(v) for v in verdicts]
    if not any(r["status"] == "violation" for r in rows):
        return []
    filing.status = Filing.Status.REFUSED
    filing.verdicts = rows
    filing.save(update_fields=["status", "verdicts"])
    return [Rechecked(kind, filing.pk, rows)]


# --- complaints ----------------------------------------------------------------------------


class RateLimited(ValidationFailed):
    code = "rate_limited"


def _count_submission(address: str) -> None:
    """At most ``COMPLAINTS_PER_HOUR`` complaints an hour from one address (fixed window in
    the cache: ``add`` starts the window, ``incr`` counts within it)."""
    key = f"training:complaints:{address}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > COMPLAINTS_PER_HOUR:
        raise RateLimited(
            {
                "__all__": [
                    _(
                        "提交过于频繁：同一网络每小时最多提交 %(n)d 件投诉举报，请一小时后再试；紧急情况请拨打 12345。"
                    )
                    % {"n": COMPLAINTS_PER_HOUR}
                ]
            }
        )


def complaint_submit(
    *,
    district_id: int | None,
    institution_id: int | None,
    institution_name: str,
    what_happened: str,
    contact: str,
    address: str | None,
    today: dt.date | None = None,
) -> Complaint:
    """A complaint from anyone, signed in or not: about a registered institution or one
    named in words (an unlicensed one is not on the registry), with an optional contact.
    Received at once, with the deadline ``trn.complaints`` gives. ``address``: the
    network address a web or API submission came from, counted against the hourly limit;
    None for complaints entered by the district itself (a phone call, the demo)."""
    errors: dict[str, list[str]] = {}
    institution = None
    if institution_id is not None:
        institution = Institution.objects.filter(pk=institution_id).first()
        if institution is None:
            errors["institution_id"] = [_("未找到该机构，请从列表中选择或填写机构名称。")]
    elif not institution_name.strip():
        errors["institution_name"] = [_("请选择机构或填写机构名称。")]
    if len(what_happened.strip()) < 10:
        errors["what_happened"] = [_("请简要说明情况（至少 10 个字）。")]
    district = (
        institution.district
        if institution is not None
        else District.objects.filter(pk=district_id).first()
        if district_id is not None
        else District.objects.order_by("pk").first()
    )
    if district is None and not errors:
        errors["district_id"] = [_("请选择区县。")]
    if errors:
        raise ValidationFailed(errors)
    assert district is not None
    if address is not None:
        _count_submission(address)
    day = today or local_today()
    deadline = day + dt.timedelta(
        days=selectors.profile_for_district(district).rule("trn.complaints").whole()
    )
    for _attempt in range(5):
        reference = f"TS{day:%Y%m%d}{secrets.randbelow(10**5):05d}"
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    district=district,
                    reference=reference,
                    follow_token=secrets.token_urlsafe(24),
                    institution=institution,
                    institution_name=institution_name.strip() if institution is None else "",
                    what_happened=what_happened.strip(),
                    contact=contact.strip(),
                    received_on=day,
                    deadline=deadline,
                )
                ComplaintEvent.objects.create(
                    complaint=complaint,
                    district=district,
                    status=Complaint.Status.RECEIVED,
                    note=_("已收到，将在 %(d)s 前办结。") % {"d": deadline.isoformat()},
                    date=day,
                )
            return complaint
        except IntegrityError:
            continue
    raise RuntimeError("no free complaint reference")  # 5 collisions in 100,000: never


# The order a complaint moves in; 不予受理 only from 受理 (before anything was verified).
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    Complaint.Status.RECEIVED: (
        Complaint.Status.VERIFYING,
        Complaint.Status.HANDLING,
        Complaint.Status.CLOSED,
        Complaint.Status.REJECTED,
    ),
    Complaint.Status.VERIFYING: (Complaint.Status.HANDLING, Complaint.Status.CLOSED),
    Complaint.Status.HANDLING: (Complaint.Status.CLOSED,),
    Complaint.Status.CLOSED: (),
    Complaint.Status.REJECTED: (),
}


def complaint_move(
    *, actor: Actor, complaint_id: int, status: str, note: str, today: dt.date | None = None
) -> Complaint:
    """The officer moves a complaint on, with a dated note the reporter reads on the follow
    page. Closing and rejecting need a note (the result; the reason)."""
    with transaction.atomic():
        found = selectors.complaint_for_officer(actor, complaint_id)
        complaint = Complaint.objects.select_for_update().get(pk=found.pk)
        if status not in NEXT_STATUSES.get(complaint.status, ()):
            raise ValidationFailed.single(
                "status",
                _("“%(from)s”的投诉不能改为该状态。") % {"from": complaint.get_status_display()},
            )
        note = note.strip()
        if status == Complaint.Status.REJECTED and not note:
            raise ValidationFailed.single("note", _("不予受理须写明理由。"))
        if status == Complaint.Status.CLOSED and not note:
            raise ValidationFailed.single("note", _("办结须写明处理结果。"))
        day = today or local_today()
        complaint.status = status
        if status in (Complaint.Status.CLOSED, Complaint.Status.REJECTED):
            complaint.closed_on = day
        complaint.save(update_fields=["status", "closed_on"])
        ComplaintEvent.objects.create(
            complaint=complaint,
            district_id=complaint.district_id,
            status=status,
            note=note,
            date=day,
            by_id=actor.user_id,
        )
    return complaint
