"""The school facts the reports layer gives the 一表通 (``qingfu.core.facts``): homework
publicity and the share of class-days within the cap, after-school participation, its
participants and attendance — each as the school's work summary counts them
(``reports.facts.report_facts``), over the school's current semester up to the day — and
the response rate of the surveys opened this semester. Percentages to one decimal; ``None``
where the records give no figure (no semester, no programme, a group below the minimum)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from qingfu.core.facts import Value
from qingfu.reports.data import Period
from qingfu.reports.facts import report_facts
from qingfu.reports.selectors import school_scope
from qingfu.schools.models import School
from qingfu.schools.selectors import current_semester
from qingfu.surveys.models import Invitation, Survey

REPORT_KEYS = frozenset(
    {
        "homework.publicity",
        "homework.within-cap",
        "afterschool.participation",
        "afterschool.participants",
        "afterschool.attendance",
    }
)
SURVEY_KEYS = frozenset({"surveys.response-rate"})


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _share(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def semester_period(school_id: int, today: dt.date) -> Period | None:
    """The school's semester holding ``today``, from its first day to ``today``."""
    semester = current_semester(school_id, today)
    if semester is None or not semester.start <= today:
        return None
    return Period(semester.start, min(semester.end, today), semester.name)


def school_facts(school_id: int, today: dt.date, keys: frozenset[str]) -> Mapping[str, Value]:
    wanted = keys & (REPORT_KEYS | SURVEY_KEYS)
    if not wanted:
        return {}
    period = semester_period(school_id, today)
    if period is None:
        return dict.fromkeys(wanted)
    out: dict[str, Value] = {}
    if wanted & REPORT_KEYS:
        school = School.objects.select_related("district").get(pk=school_id)
        facts = report_facts(scope=school_scope(school), period=period, today=today)
        class_days = sum(b.class_days for b in facts.bands)
        over = sum(b.over for b in facts.bands)
        after = facts.afterschool
        values: dict[str, Value] = {
            "homework.publicity": _percent(facts.publicity.published, facts.publicity.expected),
            "homework.within-cap": _percent(class_days - over, class_days),
            "afterschool.participation": _share(after.participation) if after else None,
            "afterschool.participants": (
                after.taking_part if after and after.participation is not None else None
            ),
            "afterschool.attendance": _share(after.attendance) if after else None,
        }
        out.update({k: v for k, v in values.items() if k in wanted})
    if "surveys.response-rate" in wanted:
        invitations = Invitation.objects.filter(
            school_id=school_id,
            survey__status__in=[Survey.Status.OPEN, Survey.Status.CLOSED],
            survey__opened_at__date__gte=period.start,
            survey__opened_at__date__lte=period.end,
        )
        out["surveys.response-rate"] = _percent(
            invitations.filter(is_used=True).count(), invitations.count()
        )
    return out
