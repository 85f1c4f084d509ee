"""Writes of the burden registry: a clerk drafts and submits a demand, the policy decides
(send, wait for an approval, or refuse), the issuer leader and the campaign office approve
or refuse, receivers report demands that came outside Qingfu, units register their apps
and work groups. Each service is atomic and leaves nothing behind when it refuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db import models, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingfu.burden import selectors
from qingfu.burden.data import AppInput, DemandInput, ObservationInput, ReportInput
from qingfu.burden.models import (
    AppOrGroup,
    Approval,
    Demand,
    DemandHandler,
    InspectionPlanEntry,
    ListEntry,
    ObservationReport,
    UnregisteredReport,
)
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.roles import Role
from qingfu.policy import burden as policy
from qingfu.policy.burden_fields import FieldListError, parse_field_list
from qingfu.policy.verdicts import Status, Verdict
from qingfu.schools.calendars import local_today
from qingfu.schools.models import School, Semester, Teacher, Unit

# Kinds that only schools receive (教师减负).
SCHOOLS_ONLY = frozenset({Demand.Kind.CAMPUS_ACTIVITY, Demand.Kind.SECONDMENT})

# Refusals an approval can lift: the leader's (an exception to the meeting-free week with a
# reason, the review of an unplanned inspection) and the campaign office's (an unplanned
# inspection, an unlisted task). Every other violation is final.
LEADER_CURES = frozenset({"gr.meeting-free-week", "gr.inspection-plan"})
OFFICE_CURES = frozenset({"gr.inspection-plan", "gr.access-list"})


class DemandRefused(ValidationFailed):
    """A demand the rules refuse: the blocking verdicts, each with its rule and source."""

    def __init__(self, verdicts: Sequence[Verdict]) -> None:
        self.verdicts = list(verdicts)
        super().__init__({"__all__": [verdict_line(v) for v in self.verdicts]})


class DemandWarned(ValidationFailed):
    """Suggestions (merge, flags) the clerk has to see before sending anyway."""

    def __init__(self, verdicts: Sequence[Verdict]) -> None:
        self.verdicts = list(verdicts)
        super().__init__({"confirm": [verdict_line(v) for v in self.verdicts]})


def verdict_line(verdict: Verdict) -> str:
    lang = translation.get_language() or "zh-hans"
    return _("%(message)s（%(rule)s；依据：%(source)s）") % {
        "message": verdict.message(lang),
        "rule": verdict.rule_id,
        "source": verdict.citation,
    }


def verdict_json(verdict: Verdict) -> dict[str, object]:
    return {
        "status": str(verdict.status),
        "rule_id": verdict.rule_id,
        "measured": verdict.measured if not isinstance(verdict.measured, frozenset) else None,
        "limit": verdict.limit if not isinstance(verdict.limit, frozenset) else None,
        "message_zh": verdict.message_zh,
        "message_en": verdict.message_en,
        "citation": verdict.citation,
    }


# --- drafting ---------------------------------------------------------------------------


def _issuer(actor: Actor, issuer_id: int) -> Unit:
    if issuer_id not in actor.units_as(Role.ISSUER_CLERK):
        raise ValidationFailed.single("issuer", _("您不是该单位的登记人员，不能以它的名义发出。"))
    return Unit.objects.get(pk=issuer_id)


def _validated(issuer: Unit, data: DemandInput, today: dt.date) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    if data.kind not in Demand.Kind.values:
        errors.setdefault("kind", []).append(_("未知的类别。"))
    if not data.title.strip():
        errors.setdefault("title", []).append(_("请填写标题。"))
    if data.day < today:
        errors.setdefault("day", []).append(_("日期不能早于今天。"))
    if data.last_day is not None and data.last_day < data.day:
        errors.setdefault("last_day", []).append(_("截止日期不能早于开始日期。"))
    if data.staff_hours < 0 or data.staff_hours > 1000:
        errors.setdefault("staff_hours", []).append(_("预计工时应在 0 到 1000 之间。"))
    units = set(
        Unit.objects.filter(
            district_id=issuer.district_id,
            pk__in=data.receiver_unit_ids,
            kind__in=[Unit.Kind.TOWN, Unit.Kind.COMMUNITY],
        ).values_list("pk", flat=True)
    )
    schools = set(
        School.objects.filter(
            district_id=issuer.district_id, pk__in=data.receiver_school_ids
        ).values_list("pk", flat=True)
    )
    if units != set(data.receiver_unit_ids) or schools != set(data.receiver_school_ids):
        errors.setdefault("receivers", []).append(_("接收单位不存在或不在本县。"))
    elif not units and not schools:
        errors.setdefault("receivers", []).append(_("请至少选择一个接收单位。"))
    if data.kind in SCHOOLS_ONLY and units:
        errors.setdefault("receivers", []).append(_("这类事项只能发给学校。"))
    if data.kind == Demand.Kind.SECONDMENT and data.last_day is None:
        errors.setdefault("last_day", []).append(_("借调须填写结束日期。"))
    unknown = set(data.evidence_asked) - set(policy.EVIDENCE)
    if unknown:
        errors.setdefault("evidence_asked", []).append(_("未知的佐证材料。"))
    if data.kind == Demand.Kind.DATA_REQUEST:
        try:
            parse_field_list(data.field_list)
        except FieldListError as exc:
            lang = translation.get_language() or "zh-hans"
            errors["field_list"] = [
                p.message_en if lang.startswith("en") else p.message_zh for p in exc.problems
            ]
    plan = None
    if data.plan_entry_id is not None:
        plan = InspectionPlanEntry.objects.filter(
            pk=data.plan_entry_id, issuer=issuer, year=data.day.year
        ).first()
        if plan is None:
            errors.setdefault("plan_entry", []).append(_("该计划不在本单位本年度的计划中。"))
    entry = None
    if data.list_entry_id is not None:
        entry = ListEntry.objects.filter(
            pk=data.list_entry_id, district_id=issuer.district_id, kind=data.kind
        ).first()
        if entry is None:
            errors.setdefault("list_entry", []).append(_("该事项不在本县的清单中。"))
    if errors:
        raise ValidationFailed(errors)
    return {"units": sorted(units), "schools": sorted(schools), "plan": plan, "entry": entry}


@transaction.atomic
def demand_save(
    *, actor: Actor, issuer_id: int, data: DemandInput, demand_id: int | None = None
) -> Demand:
    """Create or change a draft of the issuer's (a clerk of it only)."""
    issuer = _issuer(actor, issuer_id)
    checked = _validated(issuer, data, local_today())
    if demand_id is None:
        demand = Demand(district_id=issuer.district_id, issuer=issuer, created_by_id=actor.user_id)
    else:
        found = (
            Demand.objects.select_for_update()
            .filter(pk=demand_id, issuer=issuer, status=Demand.Status.DRAFT)
            .first()
        )
        if found is None:
            raise NotFound()
        demand = found
    demand.kind = data.kind
    demand.title = data.title.strip()
    demand.day = data.day
    demand.last_day = data.last_day
    demand.staff_hours = data.staff_hours
    demand.attendee_level = data.attendee_level
    demand.forwards_higher_document = data.forwards_higher_document
    demand.evidence_asked = sorted(data.evidence_asked)
    demand.plan_entry = checked["plan"]  # type: ignore[assignment]
    demand.list_entry = checked["entry"]  # type: ignore[assignment]
    demand.exception_reason = data.exception_reason.strip()
    demand.funding_amount = data.funding_amount
    demand.field_list = data.field_list if data.kind == Demand.Kind.DATA_REQUEST else ""
    demand.save()
    demand_receivers_set(
        demand,
        units=cast(list[int], checked["units"]),
        schools=cast(list[int], checked["schools"]),
    )
    return demand


def demand_receivers_set(
    demand: Demand, *, units: Iterable[Unit | int], schools: Iterable[School | int]
) -> None:
    """Set a demand's receivers and the counts kept beside them (``Demand`` says why): the
    one way receivers are written, for the services, the demo and the tests' fixtures.
    Whether the ids may be used is the caller's question (``_validated``)."""
    unit_ids = sorted({u if isinstance(u, int) else u.pk for u in units})
    school_ids = sorted({s if isinstance(s, int) else s.pk for s in schools})
    demand.receiver_units.set(unit_ids)
    demand.receiver_schools.set(school_ids)
    demand.receiver_unit_count, demand.receiver_school_count = len(unit_ids), len(school_ids)
    Demand.objects.filter(pk=demand.pk).update(
        receiver_unit_count=len(unit_ids), receiver_school_count=len(school_ids)
    )


def receiver_counts_refresh(demands: QuerySet[Demand]) -> int:
    """Recount the receivers of ``demands`` from their links, after links were inserted in
    bulk (the demo, the bench county): one UPDATE with a counting subquery per table."""
    counts = {}
    for field, through in (
        ("receiver_unit_count", Demand.receiver_units.through),
        ("receiver_school_count", Demand.receiver_schools.through),
    ):
        links = (
            through.objects.filter(demand_id=OuterRef("pk"))
            .order_by()
            .values("demand_id")
            .annotate(n=Count("pk"))
            .values("n")  # type: ignore[misc]  # the annotation, which the stubs cannot see
        )
        counts[field] = Coalesce(Subquery(links), 0)
    return demands.update(**counts)


# --- deciding ---------------------------------------------------------------------------


def policy_demand(demand: Demand, *, leader: bool = False, office: bool = False) -> policy.Demand:
    """The registered demand as the pure checks take it, with the approvals given."""
    units = list(demand.receiver_units.values_list("pk", flat=True))
    schools = list(demand.receiver_schools.values_list("pk", flat=True))
    receivers = frozenset(
        [selectors.receiver_key(unit_id=u) for u in units]
        + [selectors.receiver_key(school_id=s) for s in schools]
    )
    fields: tuple[str, ...] = ()
    if demand.kind == Demand.Kind.DATA_REQUEST:
        try:
            fields = parse_field_list(demand.field_list)
        except FieldListError:
            fields = ()
    leader_reason = demand.exception_reason
    return policy.Demand(
        kind=demand.kind,  # type: ignore[arg-type]
        issuer_id=demand.issuer_id,
        receiver_ids=receivers,
        day=demand.day,
        last_day=demand.last_day,
        id=demand.pk,
        title=demand.title,
        audience="schools" if schools and not units else "grassroots",
        staff_hours=demand.staff_hours,
        attendee_level=demand.attendee_level,
        forwards_higher_document=demand.forwards_higher_document,
        evidence_asked=frozenset(demand.evidence_asked),
        listed=demand.plan_entry_id is not None or demand.list_entry_id is not None,
        leader_approved=leader,
        leader_reason=leader_reason,
        office_approved=office,
        funding_amount=demand.funding_amount,
        fields=fields,
    )


def _others(demand: Demand) -> list[policy.Demand]:
    """The live demands of the county around it: enough for the ISO week of a meeting, the
    month of an inspection and the month of a data request."""
    around = (
        Demand.objects.filter(
            district_id=demand.district_id,
            status__in=selectors.LIVE,
            day__gte=demand.day - dt.timedelta(days=31),
            day__lte=demand.day + dt.timedelta(days=31),
            kind=demand.kind,
        )
        .exclude(pk=demand.pk)
        .prefetch_related("receiver_units", "receiver_schools")
    )
    return [policy_demand(other) for other in around]


def semester_of(school_id: int, day: dt.date) -> tuple[dt.date, dt.date]:
    """The school's semester holding ``day``; without one registered, the half-year a
    semester usually spans (February to July, August to January)."""
    semester = Semester.objects.filter(school_id=school_id, start__lte=day, end__gte=day).first()
    if semester is not None:
        return semester.start, semester.end
    if 2 <= day.month <= 7:
        return dt.date(day.year, 2, 1), dt.date(day.year, 7, 31)
    year = day.year if day.month >= 8 else day.year - 1
    return dt.date(year, 8, 1), dt.date(year + 1, 1, 31)


def _campus_held(demand: Demand) -> dict[int, int]:
    """Campus activities each receiving school already has in its semester (live ones)."""
    held = {}
    for school_id in demand.receiver_schools.values_list("pk", flat=True):
        first, last = semester_of(school_id, demand.day)
        held[selectors.receiver_key(school_id=school_id)] = (
            Demand.objects.filter(
                kind=Demand.Kind.CAMPUS_ACTIVITY,
                status__in=selectors.LIVE,
                receiver_schools=school_id,
                day__gte=first,
                day__lte=last,
            )
            .exclude(pk=demand.pk)
            .count()
        )
    return held


@dataclass(frozen=True)
class Decision:
    status: str
    verdicts: list[Verdict]


def _decide(demand: Demand, *, leader: bool, office: bool) -> Decision:
    """Send, wait for the approvals that would lift every refusal, or refuse."""
    profile = selectors.profile_for_district(demand.district_id)
    others = _others(demand)

    held = _campus_held(demand) if demand.kind == Demand.Kind.CAMPUS_ACTIVITY else None

    def check(leader: bool, office: bool) -> list[Verdict]:
        d = policy_demand(demand, leader=leader, office=office)
        return policy.check_demand(profile, demand=d, others=others, held_this_semester=held)

    verdicts = check(leader, office)
    blocking = {v.rule_id for v in verdicts if v.blocks}
    if not blocking:
        return Decision(Demand.Status.SENT, verdicts)
    needs_leader = not leader and bool(blocking & LEADER_CURES)
    needs_office = not office and bool(blocking & OFFICE_CURES)
    if demand.kind == Demand.Kind.MEETING and not demand.exception_reason:
        needs_leader = False
    if needs_leader or needs_office:
        hoped = check(leader or needs_leader, office or needs_office)
        if not any(v.blocks for v in hoped):
            status = Demand.Status.PENDING_LEADER if needs_leader else Demand.Status.PENDING_OFFICE
            return Decision(status, hoped)
        raise DemandRefused([v for v in hoped if v.blocks])
    raise DemandRefused([v for v in verdicts if v.blocks])


@transaction.atomic
def demand_submit(*, actor: Actor, demand_id: int, confirm: bool = False) -> Demand:
    """Submit a draft: refused (it stays a draft, unchanged) when a rule forbids it and no
    approval could lift it; warnings are shown first and sent only with ``confirm``."""
    demand = (
        Demand.objects.select_for_update()
        .filter(
            pk=demand_id,
            issuer_id__in=actor.units_as(Role.ISSUER_CLERK),
            status=Demand.Status.DRAFT,
        )
        .first()
    )
    if demand is None:
        raise NotFound()
    if demand.day < local_today():
        raise ValidationFailed.single("day", _("日期不能早于今天。"))
    decision = _decide(demand, leader=False, office=False)
    warnings = [v for v in decision.verdicts if v.status is Status.WARN]
    if warnings and not confirm:
        raise DemandWarned(warnings)
    demand.status = decision.status
    demand.verdicts = [verdict_json(v) for v in decision.verdicts if not v.is_ok]
    demand.submitted_at = timezone.now()
    if decision.status == Demand.Status.SENT:
        demand.sent_at = demand.submitted_at
    demand.save(update_fields=["status", "verdicts", "submitted_at", "sent_at"])
    return demand


def demand_create_and_submit(
    *,
    actor: Actor,
    issuer_id: int,
    data: DemandInput,
    confirm: bool = False,
    draft_id: int | None = None,
) -> Demand:
    """Draft (or change the draft ``draft_id``) and submit in one step; a refusal or an
    unconfirmed warning keeps the draft, whose id the exception carries as ``draft_id``."""
    demand = demand_save(actor=actor, issuer_id=issuer_id, data=data, demand_id=draft_id)
    try:
        return demand_submit(actor=actor, demand_id=demand.pk, confirm=confirm)
    except ValidationFailed as exc:
        exc.draft_id = demand.pk  # type: ignore[attr-defined]
        raise


@transaction.atomic
def demand_decide(
    *, actor: Actor, demand_id: int, role: str, approve: bool, reason: str = ""
) -> Demand:
    """The issuer leader's review or the campaign office's approval of a waiting demand,
    recorded with its reason; an approval moves it on (to the office, or sent)."""
    if role == Approval.Role.LEADER:
        scope = {"issuer_id__in": actor.units_as(Role.ISSUER_LEADER)}
        waiting = Demand.Status.PENDING_LEADER
    elif role == Approval.Role.OFFICE:
        scope = {"district_id__in": selectors.campaign_districts(actor)}
        waiting = Demand.Status.PENDING_OFFICE
    else:
        raise ValidationFailed.single("role", _("未知的审批角色。"))
    demand = (
        Demand.objects.select_for_update().filter(pk=demand_id, status=waiting, **scope).first()
    )
    if demand is None:
        raise NotFound()
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationFailed.single("reason", _("不同意时请写明理由。"))
    if approve and demand.exception_reason and role == Approval.Role.LEADER and not reason:
        reason = demand.exception_reason
    Approval.objects.create(
        district_id=demand.district_id,
        demand=demand,
        by_id=actor.user_id,
        role=role,
        decision=Approval.Decision.APPROVED if approve else Approval.Decision.REFUSED,
        reason=reason,
    )
    if not approve:
        demand.status = Demand.Status.REFUSED
        demand.save(update_fields=["status"])
        return demand
    decided = set(
        demand.approvals.filter(decision=Approval.Decision.APPROVED).values_list("role", flat=True)
    )
    decision = _decide(
        demand, leader=Approval.Role.LEADER in decided, office=Approval.Role.OFFICE in decided
    )
    demand.status = decision.status
    demand.verdicts = [verdict_json(v) for v in decision.verdicts if not v.is_ok]
    if decision.status == Demand.Status.SENT:
        demand.sent_at = timezone.now()
    demand.save(update_fields=["status", "verdicts", "sent_at"])
    return demand


@transaction.atomic
def demand_withdraw(*, actor: Actor, demand_id: int) -> Demand:
    demand = (
        Demand.objects.select_for_update()
        .filter(
            pk=demand_id,
            issuer_id__in=actor.units_as(Role.ISSUER_CLERK),
            status__in=[
                Demand.Status.DRAFT,
                Demand.Status.PENDING_LEADER,
                Demand.Status.PENDING_OFFICE,
            ],
        )
        .first()
    )
    if demand is None:
        raise NotFound()
    demand.status = Demand.Status.WITHDRAWN
    demand.save(update_fields=["status"])
    return demand


# --- receivers' reports ----------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    actor: Actor,
    data: ReportInput,
    unit_id: int | None = None,
    school_id: int | None = None,
) -> UnregisteredReport:
    """A receiver reports a demand that reached it outside Qingfu, naming the issuer."""
    if unit_id is not None and unit_id in actor.units_as(Role.RECEIVER):
        pass
    elif school_id is not None and school_id in actor.admin_school_ids:
        unit_id = None
    else:
        raise NotFound()
    district_id = selectors.receiver_district(unit_id=unit_id, school_id=school_id)
    errors: dict[str, list[str]] = {}
    if not Unit.objects.filter(
        pk=data.issuer_id, district_id=district_id, kind=Unit.Kind.OFFICE
    ).exists():
        errors["issuer"] = [_("发出单位不存在或不在本县。")]
    if data.channel not in UnregisteredReport.Channel.values:
        errors["channel"] = [_("未知的渠道。")]
    if data.day > local_today():
        errors["day"] = [_("收到日期不能晚于今天。")]
    if not data.what.strip():
        errors["what"] = [_("请写明是什么事项。")]
    if errors:
        raise ValidationFailed(errors)
    return UnregisteredReport.objects.create(
        district_id=district_id,
        receiver_unit_id=unit_id,
        receiver_school_id=school_id if unit_id is None else None,
        reported_by_id=actor.user_id,
        issuer_id=data.issuer_id,
        what=data.what.strip(),
        day=data.day,
        channel=data.channel,
    )


@transaction.atomic
def report_handle(*, actor: Actor, report_id: int, note: str) -> UnregisteredReport:
    """The campaign office records what it did about a report."""
    report = (
        UnregisteredReport.objects.select_for_update()
        .filter(pk=report_id, district_id__in=selectors.campaign_districts(actor))
        .first()
    )
    if report is None:
        raise NotFound()
    if not note.strip():
        raise ValidationFailed.single("note", _("请写明处理情况。"))
    report.status = UnregisteredReport.Status.HANDLED
    report.handling_note = note.strip()
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "handling_note", "handled_at"])
    return report


# --- apps and work groups -------------------------------------------------------------


@transaction.atomic
def app_save(
    *, actor: Actor, unit_id: int, data: AppInput, app_id: int | None = None
) -> AppOrGroup:
    """Register (or update) an app or work group of a unit the actor holds a role in, or
    of the county when the actor is its campaign officer; its verdicts are kept."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not (
        unit_id in actor.units_as() or unit.district_id in selectors.campaign_districts(actor)
    ):
        raise NotFound()
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("请填写名称。")]
    if data.kind not in AppOrGroup.Kind.values:
        errors["kind"] = [_("未知的类别。")]
    if data.status not in AppOrGroup.Status.values:
        errors["status"] = [_("未知的状态。")]
    if set(data.features) - set(policy.APP_FEATURES):
        errors["features"] = [_("未知的功能。")]
    if errors:
        raise ValidationFailed(errors)
    if app_id is None:
        app = AppOrGroup(district_id=unit.district_id, unit=unit)
    else:
        found = AppOrGroup.objects.select_for_update().filter(pk=app_id, unit=unit).first()
        if found is None:
            raise NotFound()
        app = found
    app.name = data.name.strip()
    app.kind = data.kind
    app.purpose = data.purpose.strip()
    app.owner = data.owner.strip()
    app.status = data.status
    app.features = sorted(data.features)
    profile = selectors.profile_for_district(unit.district_id)
    verdicts = policy.check_app(
        profile,
        demand=policy.Demand(
            kind="app",
            issuer_id=unit.pk,
            receiver_ids=frozenset(),
            day=local_today(),
            app_features=frozenset(app.features),
            owner=app.owner,
            purpose=app.purpose,
        ),
    )
    app.verdicts = [verdict_json(v) for v in verdicts if not v.is_ok]
    app.save()
    return app


@transaction.atomic
def app_set_status(*, actor: Actor, app_id: int, status: str) -> AppOrGroup:
    """Keep, merge or close an app or group of a unit the actor holds a role in (or of the
    county, for its campaign officer)."""
    app = (
        AppOrGroup.objects.select_for_update()
        .filter(pk=app_id)
        .filter(
            models.Q(unit_id__in=actor.units_as())
            | models.Q(district_id__in=selectors.campaign_districts(actor))
        )
        .first()
    )
    if app is None:
        raise NotFound()
    if status not in AppOrGroup.Status.values:
        raise ValidationFailed.single("status", _("未知的状态。"))
    app.status = status
    app.save(update_fields=["status", "updated_at"])
    return app


@transaction.atomic
def observation_report_save(
    *, actor: Actor, unit_id: int, data: ObservationInput
) -> ObservationReport:
    """An observation point's report for a month (this one or an earlier one), written or
    corrected by a receiver of that unit; another unit, or one that is no observation
    point, is not found."""
    unit = Unit.objects.filter(
        pk=unit_id, pk__in=actor.units_as(Role.RECEIVER), is_observation_point=True
    ).first()
    if unit is None:
        raise NotFound()
    month = data.month.replace(day=1)
    if month > local_today():
        raise ValidationFailed.single("month", _("不能报告还没到的月份。"))
    if data.compared not in ObservationReport.Compared.values:
        raise ValidationFailed.single("compared", _("请选择与上月相比的情况。"))
    report, _created = ObservationReport.objects.select_for_update().update_or_create(
        unit=unit,
        month=month,
        defaults={
            "district_id": unit.district_id,
            "hours": data.hours,
            "unregistered": data.unregistered,
            "compared": data.compared,
            "remarks": data.remarks.strip(),
            "reported_by_id": actor.user_id,
        },
    )
    return report


# --- the year's plan, the county's lists, the observation points -------------------------


def _plan_years(today: dt.date) -> tuple[int, int]:
    """A plan is filed for this year or the next: last year's is history."""
    return today.year, today.year + 1


@transaction.atomic
def plan_entry_add(
    *, actor: Actor, issuer_id: int, year: int, title: str, month: int | None
) -> InspectionPlanEntry:
    """File one inspection, check, evaluation or appraisal on an office's plan for a year
    (督查检查考核年度计划), by the office's clerk or leader: a demand naming it is "on the
    plan". This year's or next year's; the month, when given, 1–12; a title once a year."""
    issuer = Unit.objects.filter(
        pk=issuer_id, pk__in=actor.units_as(Role.ISSUER_CLERK, Role.ISSUER_LEADER)
    ).first()
    if issuer is None:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    first, last = _plan_years(local_today())
    if not first <= year <= last:
        errors["year"] = [
            _("只能报备今年或明年的计划（%(first)s—%(last)s）。") % {"first": first, "last": last}
        ]
    title = title.strip()
    if not title:
        errors["title"] = [_("请填写检查事项名称。")]
    elif InspectionPlanEntry.objects.filter(issuer=issuer, year=year, title=title).exists():
        errors["title"] = [_("“%(title)s”已在该年度计划中。") % {"title": title}]
    if month is not None and not 1 <= month <= 12:
        errors["month"] = [_("月份应在 1 到 12 之间。")]
    if errors:
        raise ValidationFailed(errors)
    return InspectionPlanEntry.objects.create(
        district_id=issuer.district_id, issuer=issuer, year=year, title=title, month=month
    )


@transaction.atomic
def plan_entry_remove(*, actor: Actor, entry_id: int) -> InspectionPlanEntry:
    """Take an entry off the office's plan; one a demand already names stays (the demand
    was checked against it)."""
    entry = (
        InspectionPlanEntry.objects.select_for_update()
        .filter(pk=entry_id, issuer_id__in=actor.units_as(Role.ISSUER_CLERK, Role.ISSUER_LEADER))
        .first()
    )
    if entry is None:
        raise NotFound()
    if entry.year < local_today().year:
        raise ValidationFailed.single("entry", _("往年的计划不能修改。"))
    if Demand.objects.filter(plan_entry=entry).exists():
        raise ValidationFailed.single(
            "entry", _("“%(title)s”已有登记的检查引用，不能删除。") % {"title": entry.title}
        )
    entry.delete()
    return entry


def _campaign_district(actor: Actor, district_id: int) -> int:
    """``district_id`` when the actor runs its campaign office; otherwise not found."""
    if district_id not in selectors.campaign_districts(actor):
        raise NotFound()
    return district_id


@transaction.atomic
def list_entry_add(
    *,
    actor: Actor,
    district_id: int,
    kind: str,
    name: str,
    funding_per_year: Decimal | None = None,
) -> ListEntry:
    """Put an item on one of the county's lists, by its campaign office: the access list
    (准入清单, with the funding that follows a task, 费随事转), the certificate list, or the
    campus whitelist (社会事务进校园白名单, no longer than ``tb.campus-whitelist`` allows)."""
    district_id = _campaign_district(actor, district_id)
    errors: dict[str, list[str]] = {}
    if kind not in ListEntry.Kind.values:
        raise ValidationFailed.single("kind", _("未知的清单。"))
    name = name.strip()
    if not name:
        errors["name"] = [_("请填写事项名称。")]
    elif ListEntry.objects.filter(district_id=district_id, kind=kind, name=name).exists():
        errors["name"] = [_("“%(name)s”已在清单中。") % {"name": name}]
    if funding_per_year is not None and kind != ListEntry.Kind.TASK:
        errors["funding_per_year"] = [_("只有准入清单事项有随事转经费。")]
    elif funding_per_year is not None and funding_per_year <= 0:
        errors["funding_per_year"] = [_("经费应大于 0，没有经费请留空。")]
    if kind == ListEntry.Kind.CAMPUS_ACTIVITY and not errors:
        items = ListEntry.objects.filter(district_id=district_id, kind=kind).count() + 1
        verdict = policy.check_campus_whitelist(
            selectors.profile_for_district(district_id), items=items
        )
        if verdict.status is Status.VIOLATION:
            errors["name"] = [verdict_line(verdict)]
    if errors:
        raise ValidationFailed(errors)
    return ListEntry.objects.create(
        district_id=district_id, kind=kind, name=name, funding_per_year=funding_per_year
    )


@transaction.atomic
def list_entry_remove(*, actor: Actor, entry_id: int) -> ListEntry:
    """Take an item off a list of the campaign office's county; one a demand names stays."""
    entry = (
        ListEntry.objects.select_for_update()
        .filter(pk=entry_id, district_id__in=selectors.campaign_districts(actor))
        .first()
    )
    if entry is None:
        raise NotFound()
    if Demand.objects.filter(list_entry=entry).exists():
        raise ValidationFailed.single(
            "entry", _("“%(name)s”已有登记的事项引用，不能删除。") % {"name": entry.name}
        )
    entry.delete()
    return entry


@transaction.atomic
def observation_points_set(
    *, actor: Actor, district_id: int, unit_ids: Sequence[int]
) -> list[Unit]:
    """The campaign office chooses its county's observation points (减负观察点) among its
    towns, communities and villages: the chosen become points, every other stops being one
    (their earlier reports stay). An id that is no receiver of the county changes nothing."""
    district_id = _campaign_district(actor, district_id)
    receivers = Unit.objects.filter(
        district_id=district_id, kind__in=[Unit.Kind.TOWN, Unit.Kind.COMMUNITY]
    )
    chosen = set(unit_ids)
    known = set(receivers.filter(pk__in=chosen).values_list("pk", flat=True))
    if chosen - known:
        raise ValidationFailed.single(
            "units",
            _("不是本县的乡镇、社区（村）：%(ids)s。")
            % {"ids": "、".join(str(i) for i in sorted(chosen - known))},
        )
    receivers.filter(pk__in=known).update(is_observation_point=True)
    receivers.exclude(pk__in=known).update(is_observation_point=False)
    return list(receivers.filter(pk__in=known).order_by("code"))


@transaction.atomic
def demand_handlers_set(
    *, actor: Actor, school_id: int, demand_id: int, teacher_ids: Sequence[int]
) -> list[Teacher]:
    """The principal names the teachers who handle (承办) a demand sent to their school; the
    list replaces the last (empty: no one named, the hours are shared by all the school's
    teachers). A school the actor does not run, or a demand not sent to it: the uniform 404;
    a teacher of another school (or no teacher): refused, and nothing changes."""
    if school_id not in actor.admin_school_ids:
        raise NotFound()
    demand = (
        Demand.objects.select_for_update()
        .filter(pk=demand_id, status=Demand.Status.SENT, receiver_schools=school_id)
        .first()
    )
    if demand is None:
        raise NotFound()
    chosen = list(dict.fromkeys(teacher_ids))
    teachers = {t.pk: t for t in Teacher.objects.filter(school_id=school_id, pk__in=chosen)}
    unknown = [i for i in chosen if i not in teachers]
    if unknown:
        raise ValidationFailed.single(
            "teachers",
            _("不是本校的教师：%(ids)s。") % {"ids": "、".join(str(i) for i in unknown)},
        )
    DemandHandler.objects.filter(demand=demand, school_id=school_id).delete()
    DemandHandler.objects.bulk_create(
        DemandHandler(
            district_id=demand.district_id,
            demand=demand,
            school_id=school_id,
            teacher_id=pk,
            assigned_by_id=actor.user_id,
        )
        for pk in chosen
    )
    return [teachers[pk] for pk in chosen]
