"""Rules are named to people by their title and document, never by their id: an
institution's clerk, the training officer and a parent read "“节假日不组织学科类培训”
（《关于进一步减轻…》（2021））", not "trn.no-holiday". Every page that names a training rule
is rendered in Chinese and in English, and its visible text must hold no ``trn.`` id."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qingfu.inspections import institutions
from qingfu.inspections.models import InstitutionVisit
from qingfu.inspections.wording import render
from qingfu.training.models import Filing, PrepaidCharge, Session
from qingfu.training.tests.conftest import TrainingWorld

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)
# A rule id as the profiles write them: "trn." and a lowercase word.
RULE_ID = re.compile(r"\btrn\.[a-z]")

SATURDAY = {
    "action": "session", "weekday": 5, "start": "09:00", "end": "10:40", "mode": "offline",
    "lessons": 2, "break_minutes": 10, "term_first": "2026-10-12", "term_last": "2026-12-25",
}  # fmt: skip
FOUR_MONTHS = {
    "action": "charge", "student_label": "QM-1", "amount": "4800", "lesson_hours": "48",
    "months": "4", "paid_on": "2026-11-01", "into_supervised_account": "on",
    "account_bank": "江南银行",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _clock(settings: Any) -> Iterator[None]:
    settings.QINGFU_CLOCK = "10:00"
    with translation.override("zh-hans"):
        yield


def visible(html: str) -> str:
    """What a reader sees: no scripts, styles, tags or attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", html)


def _client(tw: TrainingWorld, who: str | None, language: str) -> Client:
    client = Client()
    if who:
        client.force_login(getattr(tw.people, who))
    client.cookies["django_language"] = language
    client.post(reverse("web:set_language"), {"language": language, "next": "/"})
    return client


def _refused_records(tw: TrainingWorld) -> InstitutionVisit:
    """A session and a charge the rules refuse after they were filed (a recheck's record),
    and a visit whose evidence counts them."""
    Session.objects.create(
        institution=tw.mine, district=tw.world.d1, course=tw.course, weekday=5,
        start=dt.time(9), end=dt.time(10), mode="offline",
        term_first=dt.date(2026, 9, 5), term_last=dt.date(2026, 12, 26),
        status=Filing.Status.REFUSED,
        verdicts=[{"status": "violation", "rule_id": "trn.no-holiday",
                   "message_zh": "学科类培训不得安排在休息日、节假日和寒暑假：周六，16 次",
                   "message_en": "No academic training on rest days: Saturday, 16 sessions",
                   "citation": "《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》（2021）"}],
    )  # fmt: skip
    PrepaidCharge.objects.create(
        institution=tw.mine, district=tw.world.d1, student_label="QM-2", amount=4800,
        lesson_hours=48, months=4, paid_on=dt.date(2026, 9, 1), into_supervised_account=True,
        account_bank="江南银行", status=Filing.Status.REFUSED,
        verdicts=[{"status": "violation", "rule_id": "trn.prepaid",
                   "message_zh": "一次预收费覆盖 4 个月，超过 3 个月",
                   "message_en": "One prepayment covers 4 months, more than 3", "citation": ""}],
    )  # fmt: skip
    return institutions.visit_start(
        actor=tw.actor("officer"), institution_id=tw.mine.pk, day=TODAY, today=TODAY,
        period_end=TODAY,
    )  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_names_a_training_rule_by_its_id(tw: TrainingWorld, language: str) -> None:
    visit = _refused_records(tw)
    staff = _client(tw, "staff", language)
    officer = _client(tw, "officer", language)
    public = _client(tw, None, language)
    pages = {
        "mine": staff.get(reverse("training:mine")),
        "mine, a Saturday session refused": staff.post(
            reverse("training:mine"), {**SATURDAY, "course_id": tw.course.pk}
        ),
        "mine, a 4-month charge refused": staff.post(reverse("training:mine"), FOUR_MONTHS),
        "registry": officer.get(reverse("training:registry")),
        "registry entry": officer.get(reverse("training:edit", args=[tw.mine.pk])),
        "officer's institution search": officer.get(
            reverse("inspections:institutions"), {"q": "启明"}
        ),
        "inspection checklist": officer.get(
            reverse("inspections:institution_visit", args=[visit.pk])
        ),
        "public lookup": public.get(reverse("training:lookup"), {"q": "启明"}),
        "public page": public.get(reverse("training:institution", args=[tw.mine.pk])),
    }
    for name, page in pages.items():
        assert page.status_code in (200, 422), name
        text = visible(page.content.decode())
        assert not RULE_ID.search(text), f"{name} shows {RULE_ID.findall(text)}"
    with translation.override(language):
        mine = visible(pages["mine"].content.decode())
        refused = visible(pages["mine, a Saturday session refused"].content.decode())
        checklist = visible(pages["inspection checklist"].content.decode())
        if language == "en":
            assert "No academic training on holidays" in refused
            assert "Prepayment in months" in mine
            assert "refused under “No academic training on holidays” (《关于进一步减轻" in checklist
        else:
            assert "节假日不组织学科类培训，《关于进一步减轻义务教育阶段" in refused
            assert "（预收费覆盖月数，《关于加强校外培训机构预收费监管工作的通知》" in mine
            assert "1 条课程安排因不符合“节假日不组织学科类培训”（《关于进一步减轻" in checklist


def test_evidence_stored_with_the_id_reads_with_the_title() -> None:
    # A visit started before rules were named by title kept the id as a plain argument.
    old = {
        "m": "{filings}因 {rule} 不予备案{detail}",
        "a": {"filings": {"m": "{n} 条课程安排", "p": "{n} 条课程安排", "n": 3},
              "rule": "trn.no-holiday", "detail": ""},
    }  # fmt: skip
    assert render(old) == (
        "3 条课程安排因不符合“节假日不组织学科类培训”"
        "（《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》（2021））不予备案"
    )
    with translation.override("en"):
        assert render(old).startswith("3 sessions refused under “No academic training on holidays”")
