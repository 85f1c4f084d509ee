"""Inspections of training institutions: the checklist from the trn.* rules, pre-filled from
the registry, the filings and the complaints; the notice's loop between the training officer
and the institution's staff; overdue notices; who may do what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.inspections import institution_checklist, institutions
from qingfu.inspections.models import (
    InstitutionItem,
    InstitutionNotice,
    InstitutionNoticeEvent,
    InstitutionVisit,
)
from qingfu.inspections.services import MarkInput, NoticeInput
from qingfu.policy.profile import Override, apply_overrides, load_national
from qingfu.schools.actors import actor_for
from qingfu.schools.naming import chinese_number
from qingfu.training import services as training
from qingfu.training.models import Filing, Session
from qingfu.training.tests import factories as tf
from qingfu.training.tests.conftest import TrainingWorld

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 2)
REST_DAY = {
    "status": "violation",
    "rule_id": "trn.no-holiday",
    "message_zh": "学科类培训不得安排在休息日",
    "message_en": "",
    "citation": "2021",
}


@pytest.fixture(autouse=True)
def _clock(settings: Any) -> Iterator[None]:
    settings.QINGFU_CLOCK = "10:00"  # the day is the training world's (TODAY)
    # The evidence is read in Chinese, whatever another test left active.
    with translation.override("zh-hans"):
        yield


def _refused_saturdays(tw: TrainingWorld, n: int) -> None:
    """Sessions the rules came to refuse after they were filed (``institution_recheck``
    writes such rows when a district tightens its calendar)."""
    for k in range(n):
        Session.objects.create(
            institution=tw.mine, district=tw.world.d1, course=tw.course, weekday=5,
            start=dt.time(9 + k), end=dt.time(10 + k), mode="offline",
            term_first=dt.date(2026, 9, 5), term_last=dt.date(2026, 12, 26),
            status=Filing.Status.REFUSED, verdicts=[REST_DAY],
        )  # fmt: skip


def _start(tw: TrainingWorld, **period: dt.date) -> InstitutionVisit:
    return institutions.visit_start(
        actor=tw.actor("officer"), institution_id=tw.mine.pk, day=TODAY, today=TODAY, **period
    )


def test_the_checklist_comes_from_the_trn_rules() -> None:
    items = institution_checklist.checklist_for(load_national())
    assert [i.area for i in items] == [a.code for a in institution_checklist.AREAS]
    rules = {r.id for i in items for r in i.rules}
    assert {"trn.no-holiday", "trn.times", "trn.prices", "trn.prepaid", "trn.complaints"} <= rules
    assert not any(r.startswith("hw.") for r in rules)
    schedule = next(i for i in items if i.area == "trn-schedule")
    assert any("20:30" in r.text for r in schedule.rules)


def test_a_notices_requirement_reads_as_a_notice_with_the_districts_own_numbers() -> None:
    """The 整改要求 a failing area suggests: a lead-in, the area's rules numbered 一、二、…
    in the documents' own words (no placeholders, no rule ids, no "不超过 0 次"), what to
    report, and the documents; a district's stricter threshold is the one written."""
    strict = apply_overrides(
        load_national(), [Override(level="district", scope="d1", thresholds={"trn.times": "20:00"})]
    )
    schedule = next(
        i for i in institution_checklist.checklist_for(strict) if i.area == "trn-schedule"
    )
    rules = [strict.rules[r.id] for r in schedule.rules]
    text = institution_checklist.notice_requirement(rules)
    lines = text.split("\n")
    assert lines[0] == "请你机构对照以下要求立即整改："
    assert lines[1] == "一、不得占用国家法定节假日、休息日及寒暑假期组织学科类培训；"
    assert lines[2] == "二、线下培训结束时间不得晚于 20:00；"
    assert lines[5] == "五、线上培训课程间隔不得少于 10 分钟。"
    assert lines[6] == "请于整改期限内完成整改，并将整改情况书面报告区县教育行政部门。"
    assert lines[7].startswith("依据：《关于进一步减轻") and lines[7].endswith("（2018）。")
    assert not any(mark in text for mark in ("{", "trn.", "不超过 0", "本笔"))
    assert institution_checklist.notice_requirement([]) == ""
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 23, 99)] == [
        "一", "九", "十", "十一", "二十", "二十三", "九十九"
    ]  # fmt: skip
    prepaid = [strict.rules[i] for i in ("trn.prepaid", "trn.prepaid.hours", "trn.prepaid.account")]
    assert "二、不得一次性收取超过 60 课时的费用；" in institution_checklist.notice_requirement(
        prepaid
    )
    # Every trn.* rule has its sentence: none falls back to a bare threshold.
    every = [r for r in strict.rules.values() if institution_checklist.area_of(r.id)]
    written = institution_checklist.notice_requirement(every)
    assert "：不" not in written and written.count("\n") == len(every) + 2
    with translation.override("en"):
        english = institution_checklist.notice_requirement(rules)
    lines = english.split("\n")
    assert lines[0] == "You are required to put the following right without delay:"
    assert lines[1] == (
        "1. No academic training may be held on public holidays, rest days or during the "
        "winter and summer vacations;"
    )
    assert lines[2] == "2. Offline training ends no later than 20:00;"
    assert lines[5].endswith(".") and lines[7].startswith("Basis: 《")
    assert not any("\u4e00" <= c <= "\u9fff" for line in lines[:7] for c in line)


def test_a_visit_is_pre_filled_from_the_registry_filings_and_complaints(
    tw: TrainingWorld,
) -> None:
    _refused_saturdays(tw, 3)
    training.complaint_submit(
        district_id=tw.world.d1.pk, institution_id=tw.mine.pk, institution_name="",
        what_happened="周六上午仍在上初二数学课，家长反映多次。", contact="", address=None,
    )  # fmt: skip
    visit = _start(tw, period_end=TODAY)  # the complaint came in today
    evidence = {i.area: i.evidence for i in visit.items.all()}
    assert (
        "3 条课程安排因不符合“节假日不组织学科类培训”（《关于进一步减轻" in evidence["trn-schedule"]
    )
    assert "有效期至 2028-12-31" in evidence["trn-registration"]
    assert "已备案课程 1 门" in evidence["trn-prices"]
    assert "本期收到投诉举报 1 件（受理 1）" in evidence["trn-complaints"]
    # A filed charge shows after a refresh; the figure is the records', not a constant.
    training.charge_file(
        actor=tw.actor("staff"), institution_id=tw.mine.pk,
        data=training.ChargeInput("QM-1", Decimal(900), 9, 1, TODAY, True, "江南银行"),
    )  # fmt: skip
    institutions.visit_refresh_evidence(actor=tw.actor("officer"), visit_id=visit.pk)
    prepaid = visit.items.get(area="trn-prepaid").evidence
    assert "本期预收费 1 笔，合计 900.00 元" in prepaid


def test_a_notice_goes_to_the_institution_and_back_to_closure(tw: TrainingWorld) -> None:
    _refused_saturdays(tw, 3)
    officer, staff = tw.actor("officer"), tw.actor("staff")
    visit = _start(tw)
    item = visit.items.get(area="trn-schedule")
    with pytest.raises(ValidationFailed):
        institutions.checklist_save(
            actor=officer, visit_id=visit.pk, marks={item.pk: MarkInput("fails", "")}
        )
    institutions.checklist_save(
        actor=officer, visit_id=visit.pk, marks={item.pk: MarkInput("fails", "周六排课")}
    )
    institutions.visit_complete(actor=officer, visit_id=visit.pk)
    notice_in = NoticeInput(
        item.pk, "关于周六排课的整改通知", "周六排学科类课", "停止周六排课", None
    )
    with pytest.raises(ValidationFailed) as no_deadline:
        institutions.notice_issue(actor=officer, visit_id=visit.pk, data=notice_in, today=TODAY)
    assert "deadline" in no_deadline.value.errors
    deadline = TODAY + dt.timedelta(days=30)
    notice = institutions.notice_issue(
        actor=officer,
        visit_id=visit.pk,
        data=NoticeInput(item.pk, notice_in.title, notice_in.problem, "停止", deadline),
        today=TODAY,
    )
    assert notice.rule_ids == item.rule_ids and "trn.no-holiday" in notice.rule_ids
    # The staff of the institution see it; another institution's staff do not.
    assert list(institutions.notices_for(staff)) == [notice]
    with pytest.raises(NotFound):
        institutions.notice_get(tw.actor("other_staff"), notice.pk)
    with pytest.raises(NotFound):
        institutions.notice_respond(
            actor=tw.actor("other_staff"), notice_id=notice.pk, measures="x", today=TODAY
        )
    with pytest.raises(NotFound):  # the staff do not review their own answer
        institutions.notice_accept(actor=staff, notice_id=notice.pk, today=TODAY)
    institutions.notice_respond(actor=staff, notice_id=notice.pk, measures="已调整", today=TODAY)
    institutions.notice_return(actor=officer, notice_id=notice.pk, comment="还要退费")
    institutions.notice_respond(actor=staff, notice_id=notice.pk, measures="已退费", today=TODAY)
    closed = institutions.notice_accept(actor=officer, notice_id=notice.pk, today=TODAY)
    assert closed.status == "closed" and closed.closed_on == TODAY
    kinds = list(InstitutionNoticeEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["issued", "responded", "returned", "responded", "closed"]
    counts = institutions.inspection_counts(
        district_id=tw.world.d1.pk, start=dt.date(2026, 9, 1), end=TODAY, today=TODAY
    )
    assert (counts.visits, counts.items_failing, counts.notices, counts.notices_closed) == (
        1,
        1,
        1,
        1,
    )
    assert counts.notices_closed_in_time == 1 and counts.notices_overdue == 0


def test_an_open_notice_is_overdue_from_the_day_after_its_deadline(tw: TrainingWorld) -> None:
    officer = tw.actor("officer")
    visit = _start(tw)
    item = visit.items.first()
    assert item is not None
    institutions.checklist_save(
        actor=officer, visit_id=visit.pk, marks={item.pk: MarkInput("mostly", "证照将到期")}
    )
    institutions.visit_complete(actor=officer, visit_id=visit.pk)
    deadline = TODAY + dt.timedelta(days=10)
    institutions.notice_issue(
        actor=officer,
        visit_id=visit.pk,
        data=NoticeInput(item.pk, "证照", "将到期", "续期", deadline),
        today=TODAY,
    )
    d1 = tw.world.d1.pk
    assert institutions.overdue_institution_notices(district_id=d1, today=deadline) == []
    late = institutions.overdue_institution_notices(
        district_id=d1, today=deadline + dt.timedelta(days=2)
    )
    assert [r.days_overdue for r in late] == [2]


def test_only_the_districts_training_officer_inspects(tw: TrainingWorld) -> None:
    for who in ("staff", "other_staff"):
        with pytest.raises(NotFound):
            institutions.visit_start(
                actor=tw.actor(who), institution_id=tw.mine.pk, day=TODAY, today=TODAY
            )
    with pytest.raises(NotFound):  # an institution of another district
        institutions.visit_start(
            actor=tw.actor("officer"), institution_id=tw.far.pk, day=TODAY, today=TODAY
        )
    district_officer = actor_for(tw.world.users["officer_d1"])
    with pytest.raises(NotFound):
        institutions.visit_start(
            actor=district_officer, institution_id=tw.mine.pk, day=TODAY, today=TODAY
        )
    assert InstitutionVisit.objects.count() == 0 and InstitutionItem.objects.count() == 0


def test_the_pages_take_the_officer_through_a_visit(tw: TrainingWorld) -> None:
    _refused_saturdays(tw, 2)
    client = Client()
    client.force_login(tw.people.officer)
    page = client.get(reverse("inspections:institutions"), {"q": "启明"})
    assert page.status_code == 200 and "青禾启明学科培训中心" in page.content.decode()
    started = client.post(
        reverse("inspections:institution_start", args=[tw.mine.pk]), {"date": TODAY.isoformat()}
    )
    visit = InstitutionVisit.objects.get()
    assert started.status_code == 302 and started["Location"].endswith(f"/{visit.pk}/")
    html = client.get(started["Location"]).content.decode()
    assert "2 条课程安排因不符合“节假日不组织学科类培训”（《关于进一步减轻" in html
    item = visit.items.get(area="trn-schedule")
    done = client.post(
        started["Location"],
        {"action": "complete", f"mark-{item.pk}": "fails", f"note-{item.pk}": "周六排课"},
    )
    assert done.status_code == 302
    new = reverse("inspections:institution_notice_new", args=[visit.pk])
    form = client.get(new)
    assert form.status_code == 200 and "trn.no-holiday" not in form.context["form"]["title"]
    requirement = form.context["form"]["requirement"]
    assert requirement.startswith("请你机构对照以下要求立即整改：\n一、不得占用国家法定节假日")
    assert "二、线下培训结束时间不得晚于 20:30；" in requirement
    issued = client.post(new, {**form.context["form"], "deadline": "2026-12-02"})
    notice = InstitutionNotice.objects.get()
    assert issued.status_code == 302 and notice.deadline == dt.date(2026, 12, 2)
    staff = Client()
    staff.force_login(tw.people.staff)
    assert staff.get(reverse("inspections:institutions")).status_code == 200
    url = reverse("inspections:institution_notice", args=[notice.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url, {"action": "respond", "measures": ""}).status_code == 422
    assert staff.post(url, {"action": "respond", "measures": "已停课"}).status_code == 302
    # The staff never read the officer's working checklist.
    visit_url = reverse("inspections:institution_visit", args=[visit.pk])
    assert staff.get(visit_url).status_code == 404
    other = Client()
    other.force_login(tw.people.other_staff)
    assert other.get(url).status_code == 404


def test_the_institution_to_visit_is_searched_for_not_listed(
    tw: TrainingWorld, django_assert_max_num_queries: Any
) -> None:
    """A district has thousands of institutions: the page lists none until the officer
    searches, then at most 20 by name or credit code (with the total), never another
    district's or a deregistered one; HTMX gets the results alone."""
    for n in range(24):
        tf.institution(tw.world.d1, name=f"青禾晨光{n:02d}培训", category="non-academic")
    gone = tf.institution(tw.world.d1, name="青禾晨光已注销", status="deregistered")
    tf.institution(tw.world.d2, name="青禾晨光外区")
    client = Client()
    client.force_login(tw.people.officer)
    url = reverse("inspections:institutions")
    blank = client.get(url)
    assert blank.status_code == 200 and not blank.context["found"].rows
    assert "data-institution" not in blank.content.decode()
    with django_assert_max_num_queries(20):
        page = client.get(url, {"q": " 晨光 "})
    found = page.context["found"]
    assert len(found.rows) == 20 and found.total == 24 and found.is_cut
    html = page.content.decode()
    assert html.count("data-institution=") == 20 and "共 24 家，只显示前 20 家" in html
    assert "外区" not in html and f'data-institution="{gone.pk}"' not in html
    by_code = client.get(url, {"q": tw.mine.credit_code.lower()})
    assert [i.pk for i in by_code.context["found"].rows] == [tw.mine.pk]
    fragment = client.get(url, {"q": "晨光05"}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="visit-results"') and "<html" not in body
    assert "青禾晨光05培训" in body and body.count("data-institution=") == 1
    # An institution's staff search nothing: starting a visit is the officer's.
    staff = Client()
    staff.force_login(tw.people.staff)
    mine = staff.get(url, {"q": "启明"})
    assert mine.status_code == 200 and "data-institution" not in mine.content.decode()


def test_the_api_runs_the_same_loop(tw: TrainingWorld) -> None:
    _refused_saturdays(tw, 3)
    officer, staff = Client(), Client()
    officer.force_login(tw.people.officer)
    staff.force_login(tw.people.staff)
    base = "/api/v1/inspections"

    def post(client: Client, url: str, body: dict[str, Any]) -> Any:
        return client.post(url, body, content_type="application/json")

    assert post(staff, f"{base}/institutions/{tw.mine.pk}/visits", {}).status_code == 404
    made = post(officer, f"{base}/institutions/{tw.mine.pk}/visits", {"date": "2026-11-02"})
    assert made.status_code == 201
    visit = made.json()
    schedule = next(i for i in visit["items"] if i["area"] == "trn-schedule")
    assert "周六 3 条" in schedule["evidence"]
    marks = {"marks": [{"item_id": schedule["id"], "mark": "fails", "note": "周六排课"}]}
    bad = post(officer, f"{base}/institution-visits/{visit['id']}/marks", {
        "marks": [{"item_id": schedule["id"], "mark": "fails", "note": ""}], "complete": True,
    })  # fmt: skip
    assert bad.status_code == 422
    done = post(
        officer, f"{base}/institution-visits/{visit['id']}/marks", {**marks, "complete": True}
    )
    assert done.json()["status"] == "completed"
    notice = post(officer, f"{base}/institution-visits/{visit['id']}/notices", {
        "item_id": schedule["id"], "title": "整改", "problem": "周六排课",
        "requirement": "停止", "deadline": "2026-12-01",
    }).json()  # fmt: skip
    assert notice["rule_ids"] and notice["status"] == "open"
    assert [n["id"] for n in staff.get(f"{base}/institution-notices").json()] == [notice["id"]]
    url = f"{base}/institution-notices/{notice['id']}"
    assert post(staff, f"{url}/review", {"decision": "accept"}).status_code == 404
    assert post(staff, f"{url}/response", {"measures": "已停课"}).json()["status"] == "responded"
    accepted = post(officer, f"{url}/review", {"decision": "accept"})
    assert accepted.json()["status"] == "closed"
    paths = set(Client().get("/api/v1/openapi.json").json()["paths"])
    assert "/api/v1/inspections/institution-notices/{notice_id}/response" in paths
