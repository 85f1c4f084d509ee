"""Inspection visits and rectification notices: the checklist from the profile, evidence from
records, the notice's deadline, its answer-and-review loop, overdue, and who may do what."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.inspections import checklist, evidence, selectors, services
from qingfu.inspections.data import ClassDayFact, SchoolFacts
from qingfu.inspections.models import ChecklistItem, Notice, NoticeEvent, Visit
from qingfu.oversight.models import ClassDayRollup
from qingfu.policy.profile import load_national
from qingfu.schools.actors import actor_for
from qingfu.schools.models import PolicyOverride

# What these tests see depends on the day: also run at each of tests/clock.py's instants.
pytestmark = pytest.mark.clock

TODAY = dt.date(2026, 11, 23)
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def _rollup(world, school_class, day, planned, *, cap=60, **extra) -> ClassDayRollup:
    return ClassDayRollup.objects.create(
        school=school_class.school, school_class=school_class, grade=school_class.grade.number,
        date=day, day_kind="school_day", cap=cap, planned_minutes=planned,
        verdict="violation" if planned > cap else "ok", **extra,
    )  # fmt: skip


def _start(world, **kwargs) -> Visit:
    return services.visit_start(
        actor=actor_for(world.users["inspector_a"]), school_id=world.a.pk, day=TODAY,
        today=TODAY, **kwargs,
    )  # fmt: skip


def _completed_with_failing_item(world) -> tuple[Visit, ChecklistItem]:
    visit = _start(world, period_start=OCTOBER[0], period_end=OCTOBER[1])
    item = visit.items.get(area="hw-cap")
    inspector = actor_for(world.users["inspector_a"])
    services.checklist_save(
        actor=inspector, visit_id=visit.pk,
        marks={item.pk: services.MarkInput("fails", "三年级10月多日超量")},
    )  # fmt: skip
    services.visit_complete(actor=inspector, visit_id=visit.pk)
    return visit, item


def _issue(world, visit, item, deadline=TODAY + dt.timedelta(days=14), today=TODAY) -> Notice:
    return services.notice_issue(
        actor=actor_for(world.users["inspector_a"]), visit_id=visit.pk,
        data=services.NoticeInput(item.pk, "作业总量整改", "超量", "按上限控制", deadline),
        today=today,
    )  # fmt: skip


# --- checklist from the profile (pure) ---------------------------------------------------------


def test_checklist_has_one_item_per_school_area_with_rules_from_the_profile() -> None:
    profile = load_national()
    items = checklist.checklist_for(profile)
    assert [i.area for i in items] == [a.code for a in checklist.AREAS]
    ids = {r.id for i in items for r in i.rules}
    assert "hw.cap.g3-6" in ids and "afterschool.duration" in ids and "phone.campus" in ids
    assert not any(i.startswith(("trn.", "tb.", "gr.")) for i in ids)
    assert "hw.training-orgs" not in ids
    cap = next(r for i in items for r in i.rules if r.id == "hw.cap.g3-6")
    rule = profile.rule("hw.cap.g3-6")
    assert (
        cap.text == f"三至六年级每天家庭书面作业平均时长：不超过 {rule.threshold} 分钟"
        and cap.citation == rule.citation
    )
    bedtime = next(r for i in items for r in i.rules if r.id == "sleep.bedtime")
    assert bedtime.text.startswith("就寝时间：小学不晚于 21:20")


def test_an_inspector_who_chose_english_gets_the_checklist_in_english() -> None:
    profile = load_national()
    with translation.override("en"):
        items = checklist.checklist_for(profile)
    cap = next(r for i in items for r in i.rules if r.id == "hw.cap.g3-6")
    threshold = profile.rule("hw.cap.g3-6").threshold
    assert cap.text == f"Average written homework a day in grades 3–6: at most {threshold} min"
    bedtime = next(r for i in items for r in i.rules if r.id == "sleep.bedtime")
    assert bedtime.text.startswith("Bedtime: Primary school: no later than 21:20")
    # Titles and requirements are English; only the citations (the documents' own Chinese
    # titles) stay as written, and the policy's own glosses of a term, "(打卡)".
    words = [i.title for i in items] + [r.text for i in items for r in i.rules]
    words = [re.sub(r"\([^)]*\)", "", w) for w in words]
    assert not [w for w in words if re.search(r"[\u4e00-\u9fff]", w)]


def test_a_schools_notice_requirement_reads_like_the_institutions() -> None:
    """The 整改要求 a failing area suggests to a school, written by the same code as an
    institution's (``checklist.notice_text``): numbered 一、二、…, each requirement in the
    documents' words (no "不超过 0", no "{measured}", no rule ids), what to report and to
    whom, and the documents; in English when the inspector reads English."""
    profile = load_national()
    areas = {
        i.area: [profile.rules[r.id] for r in i.rules] for i in checklist.checklist_for(profile)
    }
    lines = checklist.school_notice_requirement(areas["exam"]).split("\n")
    assert lines[0] == "请你校对照以下要求立即整改："
    assert lines[1] == "一、小学一、二年级不进行纸笔考试；"
    assert lines[2] == (
        "二、每学期各科考试：期末考试不超过 1 次，小学期中考试不安排，初中期中考试不超过 1 次，"
        "单元考试不安排；"
    )
    assert lines[5] == "五、小学各年级和初中非毕业年级不得组织区域性或跨校考试；"
    assert lines[8] == "八、展示等级分布的最少人数不少于 5 人。"
    assert lines[9] == "请于整改期限内完成整改，并将整改情况书面报告责任督学。"
    assert lines[10].startswith("依据：《关于加强义务教育学校考试管理的通知》（2021）；")
    for rules in areas.values():
        text = checklist.school_notice_requirement(rules)
        assert not any(m in text for m in ("{", "不超过 0", "不少于 0", "：不", "。；"))
        assert not re.search(r"[a-z]+\.[a-z]", text)  # no rule id
        assert text.count("\n") == len([r for r in rules if checklist.school_duty(r)]) + 2
    assert checklist.school_notice_requirement([]) == ""
    with translation.override("en"):
        english = checklist.school_notice_requirement(areas["hw-cap"]).split("\n")
    assert english[0] == "You are required to put the following right without delay:"
    assert english[1].startswith("1. No written homework for grades 1–2") and english[1][-1] == ";"
    assert english[2] == "2. Average written homework a day in grades 3–6: at most 60 min;"
    assert english[5].startswith("Complete the rectification by the deadline")
    assert not any("\u4e00" <= c <= "\u9fff" for line in english[:6] for c in line)


def test_a_stricter_school_override_shows_its_own_threshold(world) -> None:
    PolicyOverride.objects.create(level="school", school=world.a, thresholds={"hw.cap.g3-6": 50})
    visit = _start(world)
    rules = {r["id"]: r for r in visit.items.get(area="hw-cap").rules}
    assert rules["hw.cap.g3-6"]["text"].endswith("：不超过 50 分钟")
    assert rules["hw.cap.g3-6"]["citation"].startswith("《关于进一步减轻")
    # Another school keeps the national threshold.
    other = services.visit_start(
        actor=actor_for(world.users["inspector_a"]), school_id=world.a.pk, day=TODAY, today=TODAY
    )
    assert other.items.count() == len(checklist.AREAS)
    PolicyOverride.objects.all().delete()
    third = _start(world)
    assert {r["id"]: r for r in third.items.get(area="hw-cap").rules}["hw.cap.g3-6"][
        "text"
    ].endswith("：不超过 60 分钟")


# --- evidence from records ---------------------------------------------------------------------


def test_evidence_is_counted_from_the_rollups_and_exceptions(world) -> None:
    oct_ = dt.date(2026, 10, 1)
    _rollup(world, world.c31, oct_ + dt.timedelta(days=7), 75, logs=5, reported_over=True,
            late_finishes=2)  # fmt: skip
    _rollup(world, world.c31, oct_ + dt.timedelta(days=8), 70, logs=4, not_finished=1)
    _rollup(world, world.c32, oct_ + dt.timedelta(days=7), 65, logs=3, reported_over=True)
    _rollup(world, world.c32, oct_ + dt.timedelta(days=9), 40)
    _rollup(world, world.c71, oct_ + dt.timedelta(days=9), 100, cap=90)
    _rollup(world, world.c71, dt.date(2026, 11, 3), 120, cap=90)  # outside October
    _rollup(world, world.b31, oct_ + dt.timedelta(days=9), 100)  # another school
    visit = _start(world, period_start=OCTOBER[0], period_end=OCTOBER[1])
    text = visit.items.get(area="hw-cap").evidence
    # Recompute from the raw rows.
    rows = ClassDayRollup.objects.filter(school=world.a, date__range=OCTOBER)
    over = [r for r in rows if r.planned_minutes > r.cap]
    classes, days = len({r.school_class_id for r in over}), len({r.date for r in over})
    assert (classes, days, len(over)) == (3, 3, 4)
    assert text.startswith(f"10月共 {rows.count()} 个班级日有作业记录")
    assert f"有 {classes} 个班在 {days} 天书面作业计划超过上限（共 {len(over)} 个班级日" in text
    reported = sum(1 for r in rows if r.logs and r.reported_over)
    assert f"其中 {reported} 个班级日实际用时超上限" in text
    assert "批准超量例外 0 次" in text
    late = visit.items.get(area="hw-time").evidence
    assert (
        "家长共记录作业用时 12 次（3 个班级日），完成时间晚于就寝时间 2 次（17%），未能完成 1 次"
        in late
    )


def test_evidence_says_plainly_when_there_is_no_data(world) -> None:
    visit = _start(world, period_start=OCTOBER[0], period_end=OCTOBER[1])
    lines = {i.area: i.evidence for i in visit.items.all()}
    assert lines["hw-cap"] == "10月没有班级日作业记录（无作业记录的日子按 0 分钟计）。"
    assert lines["hw-time"] == "10月没有家长记录的作业用时。"
    assert lines["afterschool"].startswith("本学期没有课后服务方案记录")
    assert lines["exam"] == "本学期没有考试安排记录。"
    assert lines["phone"] == "没有手机带入校园的书面申请记录。"


def test_period_labels_and_the_pure_evidence() -> None:
    assert evidence.period_label(*OCTOBER) == "10月"
    assert evidence.period_label(dt.date(2026, 9, 1), dt.date(2026, 11, 22)) == "9月1日至11月22日"
    facts = SchoolFacts(
        start=OCTOBER[0], end=OCTOBER[1],
        class_days=(ClassDayFact(1, dt.date(2026, 10, 8), 60, 60),),
    )  # fmt: skip
    assert "没有班级日书面作业计划超过上限" in evidence.render(evidence.hw_cap(facts))
    assert "没有家长用时记录" in evidence.render(evidence.hw_cap(facts))


# Chinese characters and the full-width punctuation that would show through in English.
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _full_facts(start: dt.date, end: dt.date, *, problems: bool) -> SchoolFacts:
    from qingfu.inspections import data

    status = "violation" if problems else "ok"
    sleep = data.CheckLine(
        status, "sleep.school-start", "上午上课时间过早", "School starts too early"
    )
    fitness = data.CheckLine("ok", "fitness.break", "大课间不少于 30 分钟", "Long break of 30 min")
    return SchoolFacts(
        start=start, end=end,
        class_days=(
            ClassDayFact(1, start, 60, 75, logs=3, reported_over=True, late_finishes=1,
                         not_finished=1, afterschool_marks=20, afterschool_attended=18),
            ClassDayFact(2, start, 60, 40, logs=2),
        ),
        homework=data.HomeworkFacts(5, 12, 4, 1, 2),
        publicity=data.PublicityFacts(3, 4, 7),
        afterschool=data.AfterSchoolFacts(True, problems, 5, dt.time(15, 30), dt.time(17, 30),
                                          (data.CheckLine(status, "afterschool.days", "每周不足 5 天", "Fewer than 5 days a week"),)),
        exams=data.ExamPlanFacts(4, 2, 3, (sleep,) if problems else ()),
        school_day=data.SchoolDayFacts(True, dt.time(8, 0), dt.time(7, 40), 30, (sleep, fitness)),
        phones=data.PhoneFacts(3, 1, 2, 40),
        reading=data.ReadingFacts(2, 1, "Filed", (fitness,)),
    )  # fmt: skip


@pytest.mark.parametrize("problems", [False, True])
@pytest.mark.parametrize(
    "period", [OCTOBER, (dt.date(2026, 9, 1), dt.date(2026, 11, 22)),
               (dt.date(2025, 12, 1), dt.date(2026, 1, 15)), (OCTOBER[0], OCTOBER[0])],
)  # fmt: skip
def test_the_evidence_reads_in_english_without_a_word_of_chinese(period, problems) -> None:
    full = _full_facts(*period, problems=problems)
    empty = SchoolFacts(start=period[0], end=period[1])
    with translation.override("en"):
        lines = [
            evidence.render(evidence.evidence_for(area, facts))
            for facts in (full, empty)
            for area in [*evidence.EVIDENCE, "no-such-area"]
        ]
        label = evidence.period_label(*period)
    for line in lines:
        assert not CHINESE.search(line), line
        assert line.endswith("."), line
    assert label in lines[0]
    assert evidence.period_label(*OCTOBER) == "10月"  # Chinese again outside the override


def test_the_english_evidence_says_the_numbers_and_the_rule(world) -> None:
    with translation.override("en"):
        full = _full_facts(*OCTOBER, problems=True)
        assert evidence.period_label(*OCTOBER) == "October"
        cap = evidence.render(evidence.hw_cap(full))
        assert cap.startswith("October: 2 class-days with homework records; ")
        sleep = evidence.render(evidence.sleep(full))
        assert "School starts too early (" in sleep
        assert "7:40" in sleep or "07:40" in sleep


def _english(node: object) -> str:
    with translation.override("en"):
        return evidence.render(node)


def test_english_counts_agree_with_their_nouns_for_one_and_for_two() -> None:
    """1 class, 2 classes: each number in a line carries its own plural form (msgstr[0] or
    [1]), and the Chinese is the same text for any number."""
    one = SchoolFacts(
        start=OCTOBER[0], end=OCTOBER[1],
        class_days=(ClassDayFact(1, dt.date(2026, 10, 8), 60, 61, logs=1, reported_over=True),),
    )  # fmt: skip
    two = SchoolFacts(
        start=OCTOBER[0], end=OCTOBER[1],
        class_days=(
            ClassDayFact(1, dt.date(2026, 10, 8), 60, 62, logs=1, reported_over=True),
            ClassDayFact(2, dt.date(2026, 10, 9), 60, 61, logs=1, reported_over=True),
        ),
    )  # fmt: skip
    assert _english(evidence.hw_cap(one)) == (
        "October: 1 class-day with homework records; 1 class planned written homework over "
        "the cap on 1 day (1 class-day in all, at most 1 minute over); family logs cover "
        "1 class-day, 1 class-day of them with actual time over the cap; 0 exceptions to the "
        "cap approved."
    )
    assert _english(evidence.hw_cap(two)) == (
        "October: 2 class-days with homework records; 2 classes planned written homework over "
        "the cap on 2 days (2 class-days in all, at most 2 minutes over); family logs cover "
        "2 class-days, 2 class-days of them with actual time over the cap; 0 exceptions to "
        "the cap approved."
    )
    assert evidence.render(evidence.hw_cap(one)).startswith(
        "10月共 1 个班级日有作业记录；有 1 个班在 1 天"
    )
    full = _full_facts(*OCTOBER, problems=True)
    assert _english(evidence.exam(full)).startswith(
        "4 exams planned this semester (2 grades), 3 exams approved"
    )
    assert "1 check not met" in _english(evidence.exam(full))
    assert "Long break: 30 minutes" in _english(evidence.fitness(full))
    assert "6 written requests" in _english(evidence.phone(full))
    assert "1 list filed" in _english(evidence.reading(full))


def test_the_evidence_is_stored_as_figures_and_read_in_the_readers_language(world) -> None:
    """An inspector refreshing in Chinese and a reader in English each see their own
    language: what is stored is the messages and the numbers, not the words."""
    _rollup(world, world.c31, dt.date(2026, 10, 8), 75, logs=2, reported_over=True)
    with translation.override("zh-hans"):
        visit = _start(world, period_start=OCTOBER[0], period_end=OCTOBER[1])
    item = visit.items.get(area="hw-cap")
    assert isinstance(item.evidence_data, dict)  # messages and figures, not words
    with translation.override("en"):
        english = ChecklistItem.objects.get(pk=item.pk).evidence
    with translation.override("zh-hans"):
        chinese = ChecklistItem.objects.get(pk=item.pk).evidence
    assert english.startswith("October: 1 class-day with homework records; 1 class planned")
    assert not CHINESE.search(english), english
    assert chinese.startswith("10月共 1 个班级日有作业记录；有 1 个班在 1 天书面作业计划超过上限")
    # Refreshed by an English reader, the stored data is the same and Chinese reads Chinese.
    with translation.override("en"):
        services.visit_refresh_evidence(
            actor=actor_for(world.users["inspector_a"]), visit_id=visit.pk
        )
    refreshed = ChecklistItem.objects.get(pk=item.pk)
    assert refreshed.evidence_data == item.evidence_data
    with translation.override("zh-hans"):
        assert refreshed.evidence == chinese


def test_a_line_stored_before_reads_as_it_was_written() -> None:
    """Rows migrated from text keep their words (0004_evidence_as_data): a string node."""
    assert evidence.render("10月共 3 个班级日有作业记录。") == "10月共 3 个班级日有作业记录。"
    assert _english("10月共 3 个班级日有作业记录。") == "10月共 3 个班级日有作业记录。"


def test_default_period_is_the_semester_so_far(world) -> None:
    visit = _start(world)
    assert (visit.period_start, visit.period_end) == (dt.date(2026, 9, 1), TODAY - dt.timedelta(1))
    with pytest.raises(ValidationFailed) as err:
        _start(world, period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 10, 1))
    assert "period_end" in err.value.errors


# --- marks, completion, notices ------------------------------------------------------------------


def test_a_failing_mark_needs_a_note_and_a_completed_visit_is_frozen(world) -> None:
    visit = _start(world)
    item = visit.items.get(area="hw-cap")
    inspector = actor_for(world.users["inspector_a"])
    with pytest.raises(ValidationFailed) as err:
        services.checklist_save(
            actor=inspector, visit_id=visit.pk, marks={item.pk: services.MarkInput("fails", "")}
        )
    assert f"note-{item.pk}" in err.value.errors
    with pytest.raises(ValidationFailed):  # nothing marked yet
        services.visit_complete(actor=inspector, visit_id=visit.pk)
    services.checklist_save(
        actor=inspector, visit_id=visit.pk, marks={item.pk: services.MarkInput("conforms")}
    )
    services.visit_complete(actor=inspector, visit_id=visit.pk, summary="总体良好")
    with pytest.raises(ValidationFailed):
        services.checklist_save(
            actor=inspector, visit_id=visit.pk, marks={item.pk: services.MarkInput("fails", "x")}
        )
    assert ChecklistItem.objects.get(pk=item.pk).mark == "conforms"


def test_a_deadline_today_or_in_the_past_is_rejected_and_nothing_saved(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = TODAY.isoformat()  # the page judges the deadline against today
    visit, item = _completed_with_failing_item(world)
    for deadline in (TODAY, TODAY - dt.timedelta(days=3)):
        with pytest.raises(ValidationFailed) as err:
            _issue(world, visit, item, deadline=deadline)
        assert list(err.value.errors) == ["deadline"]
        assert "必须晚于今天" in err.value.errors["deadline"][0]
    assert not Notice.objects.exists() and not NoticeEvent.objects.exists()
    page = world.client("inspector_a").post(
        f"/inspections/visit/{visit.pk}/notice/",
        {"item_id": item.pk, "title": "t", "problem": "p", "requirement": "r",
         "deadline": "2026-11-01"},
    )  # fmt: skip
    assert page.status_code == 422 and 'data-field="deadline"' in page.content.decode()
    assert not Notice.objects.exists()


def test_only_non_conforming_items_of_completed_visits_get_notices(world) -> None:
    visit = _start(world)
    item = visit.items.get(area="hw-cap")
    with pytest.raises(ValidationFailed) as err:
        _issue(world, visit, item)
    assert "__all__" in err.value.errors and "item_id" in err.value.errors
    assert not Notice.objects.exists()


def test_respond_return_respond_accept(world) -> None:
    visit, item = _completed_with_failing_item(world)
    notice = _issue(world, visit, item)
    admin = actor_for(world.users["admin_a"])
    inspector = actor_for(world.users["inspector_a"])
    with pytest.raises(ValidationFailed):  # nothing to review yet
        services.notice_accept(actor=inspector, notice_id=notice.pk, today=TODAY)
    with pytest.raises(ValidationFailed) as err:
        services.notice_respond(actor=admin, notice_id=notice.pk, measures=" ", today=TODAY)
    assert "measures" in err.value.errors
    services.notice_respond(
        actor=admin, notice_id=notice.pk, measures="年级组每周统筹", references=["周作业计划"],
        today=TODAY,
    )  # fmt: skip
    assert "学校已回复，待复核" in world.client("inspector_a").get("/inspections/").content.decode()
    with pytest.raises(ValidationFailed) as err:
        services.notice_return(actor=inspector, notice_id=notice.pk, comment="")
    assert "comment" in err.value.errors
    services.notice_return(actor=inspector, notice_id=notice.pk, comment="请附11月记录")
    assert Notice.objects.get(pk=notice.pk).status == "returned"
    services.notice_respond(
        actor=admin, notice_id=notice.pk, measures="已附11月周计划", today=TODAY + dt.timedelta(1)
    )
    services.notice_accept(actor=inspector, notice_id=notice.pk, today=TODAY + dt.timedelta(2))
    notice = Notice.objects.get(pk=notice.pk)
    assert notice.status == "closed" and notice.closed_on == TODAY + dt.timedelta(2)
    assert notice.response == "已附11月周计划"
    assert list(notice.events.values_list("kind", "by_name")) == [
        ("issued", "inspector_a"), ("responded", "admin_a"), ("returned", "inspector_a"),
        ("responded", "admin_a"), ("closed", "inspector_a"),
    ]  # fmt: skip
    with pytest.raises(ValidationFailed):  # closed: no more answers
        services.notice_respond(actor=admin, notice_id=notice.pk, measures="x", today=TODAY)
    page = world.client("admin_a").get(f"/inspections/notice/{notice.pk}/").content.decode()
    assert "请附11月记录" in page and "复核通过，销号" in page and "周作业计划" in page


# --- overdue and the selectors for other modules ------------------------------------------------


def test_overdue_is_computed_from_status_deadline_and_today(world, settings) -> None:
    settings.QINGFU_TODAY = TODAY.isoformat()
    visit, item = _completed_with_failing_item(world)
    early = _issue(world, visit, item, deadline=dt.date(2026, 11, 10), today=dt.date(2026, 11, 1))
    later = _issue(world, visit, item, deadline=dt.date(2026, 12, 10))
    closed = _issue(world, visit, item, deadline=dt.date(2026, 11, 12), today=dt.date(2026, 11, 1))
    services.notice_respond(
        actor=actor_for(world.users["admin_a"]), notice_id=closed.pk, measures="已改", today=TODAY
    )
    services.notice_accept(
        actor=actor_for(world.users["inspector_a"]), notice_id=closed.pk, today=TODAY
    )
    assert selectors.is_overdue(status="open", deadline=TODAY, today=TODAY) is False
    assert selectors.is_overdue(status="responded", deadline=TODAY, today=TODAY + dt.timedelta(1))
    assert not selectors.is_overdue(status="closed", deadline=TODAY, today=TODAY + dt.timedelta(1))
    rows = selectors.overdue_notices(district_id=world.d1.pk, today=TODAY)
    assert [(r.notice_id, r.school_name, r.days_overdue) for r in rows] == [(early.pk, "甲校", 13)]
    assert selectors.overdue_notices(district_id=world.d2.pk, today=TODAY) == []
    summary = selectors.notices_summary(
        school_ids=[world.a.pk], start=dt.date(2026, 9, 1), end=TODAY, today=TODAY
    )
    assert (summary.issued, summary.closed, summary.open, summary.overdue) == (3, 1, 2, 1)
    register = selectors.rectification_register(
        school_ids=[world.a.pk, world.b.pk], start=dt.date(2026, 11, 1), end=TODAY
    )
    assert [r.notice_id for r in register] == [early.pk, closed.pk, later.pk]
    row = register[1]
    assert (row.visit_date, row.inspector, row.status, row.closed_date) == (
        TODAY, "inspector_a", "closed", TODAY,
    )  # fmt: skip
    assert row.response_date == TODAY and row.response_summary == "已改"
    assert (
        selectors.rectification_register(school_ids=[world.b.pk], start=OCTOBER[0], end=TODAY) == []
    )
    page = world.client("officer_d1").get("/inspections/notices/").content.decode()
    assert "逾期 13 天" in page and page.index(early.title) < page.index("已销号")


# --- who may do what ---------------------------------------------------------------------------

READERS = {"inspector_a", "officer_d1"}
NOTICE_READERS = READERS | {"admin_a"}
REFUSED = ["anonymous", "admin_b", "officer_d2", "head31", "guardian1"]


@pytest.mark.parametrize("who", [*REFUSED, "admin_a", "officer_d1", "inspector_a"])
def test_role_matrix_for_pages(world, who) -> None:
    visit, item = _completed_with_failing_item(world)
    notice = _issue(world, visit, item)
    client = world.client(who)
    visit_page = client.get(f"/inspections/visit/{visit.pk}/")
    notice_page = client.get(f"/inspections/notice/{notice.pk}/")
    if who == "anonymous":
        assert visit_page.status_code == 302 and notice_page.status_code == 302
        return
    assert visit_page.status_code == (200 if who in READERS else 404)
    assert notice_page.status_code == (200 if who in NOTICE_READERS else 404)
    # Nobody but the school's admin may answer; nothing changes when refused.
    answer = client.post(
        f"/inspections/notice/{notice.pk}/", {"action": "respond", "measures": "已整改"}
    )
    if who == "admin_a":
        assert answer.status_code == 302
        assert Notice.objects.get(pk=notice.pk).status == "responded"
    else:
        assert answer.status_code in (403, 404)
        assert Notice.objects.get(pk=notice.pk).status == "open"
        assert NoticeEvent.objects.filter(notice=notice).count() == 1
    # Only the inspector may start a visit or issue a notice.
    before = (Visit.objects.count(), Notice.objects.count())
    start = client.post(f"/inspections/school/{world.a.pk}/start/", {})
    issue = client.post(
        f"/inspections/visit/{visit.pk}/notice/",
        {"item_id": item.pk, "title": "t", "problem": "p", "requirement": "r",
         "deadline": "2030-01-01"},
    )  # fmt: skip
    if who == "inspector_a":
        assert start.status_code == 302 and issue.status_code == 302
    else:
        assert start.status_code == 404 and issue.status_code == 404
        assert (Visit.objects.count(), Notice.objects.count()) == before


@pytest.mark.parametrize("who", ["admin_b", "officer_d2", "head31", "admin_a", "officer_d1"])
def test_role_matrix_for_services(world, who) -> None:
    visit, item = _completed_with_failing_item(world)
    notice = _issue(world, visit, item)
    services.notice_respond(
        actor=actor_for(world.users["admin_a"]), notice_id=notice.pk, measures="m", today=TODAY
    )
    actor = actor_for(world.users[who])
    expected = Forbidden if who in NOTICE_READERS else NotFound
    with pytest.raises(expected):
        services.notice_accept(actor=actor, notice_id=notice.pk, today=TODAY)
    with pytest.raises(expected):
        services.notice_return(actor=actor, notice_id=notice.pk, comment="c")
    with pytest.raises(Forbidden if who in READERS | {"admin_a"} else NotFound):
        services.visit_start(actor=actor, school_id=world.a.pk, day=TODAY, today=TODAY)
    assert Notice.objects.get(pk=notice.pk).status == "responded"
    assert Visit.objects.count() == 1


def test_inspector_of_another_school_sees_nothing(world) -> None:
    visit, item = _completed_with_failing_item(world)
    notice = _issue(world, visit, item)
    from qingfu.core.roles import Role
    from qingfu.schools.models import RoleGrant

    grant = RoleGrant.objects.get(user=world.users["inspector_a"])
    grant.school = world.b  # moved to another school
    grant.save()
    client = world.client("inspector_a")
    assert client.get(f"/inspections/visit/{visit.pk}/").status_code == 404
    assert client.get(f"/inspections/notice/{notice.pk}/").status_code == 404
    assert Role.INSPECTOR in actor_for(world.users["inspector_a"]).roles


# --- pages ----------------------------------------------------------------------------------


def test_the_inspector_runs_a_visit_through_the_pages(world, settings) -> None:
    settings.QINGFU_TODAY = TODAY.isoformat()
    _rollup(world, world.c31, dt.date(2026, 10, 8), 75)
    client = world.client("inspector_a")
    index = client.get("/inspections/").content.decode()
    assert "甲校" in index and "开始检查" in index
    start = client.post(
        f"/inspections/school/{world.a.pk}/start/",
        {"date": TODAY.isoformat(), "period_start": "2026-10-01", "period_end": "2026-10-31"},
    )
    visit = Visit.objects.get()
    assert start.url == f"/inspections/visit/{visit.pk}/"
    page = client.get(start.url).content.decode()
    assert "10月共 1 个班级日有作业记录；有 1 个班在 1 天书面作业计划超过上限" in page
    # Rules by their titles, not their internal ids (issue 19, item 9).
    assert "三至六年级每日书面作业时长" in page and "hw.cap.g3-6" not in page
    item = visit.items.get(area="hw-cap")
    bad = client.post(start.url, {"action": "complete", f"mark-{item.pk}": "fails"})
    assert bad.status_code == 422 and f'data-field="note-{item.pk}"' in bad.content.decode()
    done = client.post(
        start.url, {"action": "complete", f"mark-{item.pk}": "fails", f"note-{item.pk}": "超量"}
    )
    assert done.status_code == 302 and Visit.objects.get().status == "completed"
    form = client.get(f"/inspections/visit/{visit.pk}/notice/?item={item.pk}").content.decode()
    assert "超量" in form and "2026-12-23" in form  # a month by default
    # The requirement reads as a notice: numbered in the documents' words, then the report.
    requirement = client.get(f"/inspections/visit/{visit.pk}/notice/?item={item.pk}").context[
        "form"
    ]["requirement"]
    assert requirement.startswith(
        "请你校对照以下要求立即整改：\n一、小学一、二年级不布置家庭书面作业"
    )
    assert "\n二、三至六年级每天家庭书面作业平均时长不超过 60 分钟；\n" in requirement
    assert "hw.cap" not in requirement and "不超过 0" not in requirement
    issued = client.post(
        f"/inspections/visit/{visit.pk}/notice/",
        {"item_id": item.pk, "title": "作业总量整改", "problem": "超量", "requirement": "按上限",
         "deadline": "2026-12-10"},
    )  # fmt: skip
    notice = Notice.objects.get()
    assert issued.url == f"/inspections/notice/{notice.pk}/"
    shown = world.client("admin_a").get(issued.url).content.decode()
    assert "三至六年级每日书面作业时长" in shown and "hw.cap" not in shown
    home = world.client("admin_a").get("/").content.decode()
    assert "整改通知" in home and "作业总量整改" in home
    assert "作业总量整改" not in world.client("admin_b").get("/").content.decode()


def test_list_pages_keep_their_query_count(world, settings, django_assert_max_num_queries) -> None:
    settings.QINGFU_TODAY = TODAY.isoformat()
    visit, item = _completed_with_failing_item(world)
    for _ in range(5):
        _issue(world, visit, item)
    client = world.client("officer_d1")
    with django_assert_max_num_queries(14):
        assert client.get("/inspections/notices/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/inspections/visit/{visit.pk}/").status_code == 200


def test_demo_builder_goes_through_the_services(world) -> None:
    import random

    from qingfu.inspections.demo import build_inspections

    build_inspections(random.Random(1), world.a, TODAY)
    build_inspections(random.Random(2), world.c, TODAY)  # nobody inspects it
    visit = Visit.objects.get()
    assert (visit.school_id, visit.status, visit.date) == (
        world.a.pk,
        "completed",
        dt.date(2026, 10, 30),
    )
    assert visit.items.count() == len(checklist.AREAS)
    statuses = sorted(Notice.objects.values_list("status", flat=True))
    assert statuses == ["closed", "open"]
    closed = Notice.objects.get(status="closed")
    assert list(closed.events.values_list("kind", flat=True)) == ["issued", "responded", "closed"]
    assert selectors.overdue_notices(district_id=world.d1.pk, today=TODAY) == []
