"""The recommended reading list (读物管理): drafted, reviewed, confirmed and filed, in that
order, each step recorded with who and when; at most the profile's number of lists a school
year (default one). Buying is voluntary and never organised by the school: the list says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.policy.verdicts import Verdict
from qingfu.schools.calendars import profile_for_school
from qingfu.schools.models import School
from qingfu.schools.services import require_school_admin
from qingfu.wellbeing.models import ReadingItem, ReadingList

ORDER = [s.value for s in ReadingList.Step]


@dataclass(frozen=True)
class BookInput:
    title: str
    author: str
    grade_from: int
    grade_to: int
    reason: str
    publisher: str = ""


def list_start(*, actor: Actor, school_id: int, school_year: str) -> ReadingList:
    require_school_admin(actor, school_id)
    if not school_year.strip():
        raise ValidationFailed.single("school_year", _("请填写学年，如 2026—2027。"))
    reading = ReadingList.objects.create(school_id=school_id, school_year=school_year.strip())
    _record(reading, actor, "draft", "")
    reading.save(update_fields=["history"])
    return reading


def book_add(*, actor: Actor, list_id: int, book: BookInput) -> ReadingItem:
    reading = _admin_list(actor, list_id)
    if reading.step != ReadingList.Step.DRAFT:
        raise ValidationFailed.single("__all__", _("书目在初选阶段才能增删。"))
    errors: dict[str, list[str]] = {}
    if not book.title.strip():
        errors["title"] = [_("请填写书名。")]
    if not book.author.strip():
        errors["author"] = [_("请填写作者。")]
    if not 1 <= book.grade_from <= book.grade_to <= 9:
        errors["grade_from"] = [_("适读年级应在 1–9 年级之间，起始不高于结束。")]
    if not book.reason.strip():
        errors["reason"] = [_("请写明推荐理由。")]
    if errors:
        raise ValidationFailed(errors)
    return ReadingItem.objects.create(
        reading_list=reading,
        title=book.title.strip(),
        author=book.author.strip(),
        publisher=book.publisher.strip(),
        grade_from=book.grade_from,
        grade_to=book.grade_to,
        reason=book.reason.strip(),
    )


def list_advance(*, actor: Actor, list_id: int, note: str = "") -> ReadingList:
    """Move the list to its next step; the review (评议) needs its record written."""
    with transaction.atomic():
        reading = _admin_list(actor, list_id, lock=True)
        position = ORDER.index(reading.step)
        if position == len(ORDER) - 1:
            raise ValidationFailed.single("__all__", _("书目已备案。"))
        if not reading.items.exists():
            raise ValidationFailed.single("__all__", _("书目为空。"))
        following = ORDER[position + 1]
        if following == ReadingList.Step.REVIEWED and not note.strip():
            raise ValidationFailed.single("note", _("请填写评议意见（评议人员与结论）。"))
        reading.step = following
        _record(reading, actor, following, note)
        reading.save(update_fields=["step", "history"])
    return reading


def _record(reading: ReadingList, actor: Actor, step: str, note: str) -> None:
    reading.history = [
        *reading.history,
        {
            "step": step,
            "by": signed_in_user_id(actor),
            "name": actor.display_name,
            "at": timezone.now().isoformat(timespec="minutes"),
            "note": note.strip()[:300],
        },
    ]


def _admin_list(actor: Actor, list_id: int, *, lock: bool = False) -> ReadingList:
    qs = ReadingList.objects.select_for_update() if lock else ReadingList.objects.all()
    reading = qs.filter(id=list_id).first()
    if reading is None:
        raise NotFound()
    require_school_admin(actor, reading.school_id)
    return reading


def year_verdict(school: School, school_year: str) -> Verdict:
    """How many lists the school recommends this year against the profile (at most one)."""
    from qingfu.policy.checks import check_reading_lists

    count = ReadingList.objects.filter(school=school, school_year=school_year).count()
    return check_reading_lists(profile_for_school(school), lists=count)
