"""Exam plans against the policy, grade bands, results as bands, who sees them, no ranking."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from qingfu.assessment import bands, selectors, services
from qingfu.assessment.bands import Band
from qingfu.assessment.models import Exam, Result
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Grade, Semester, Subject
from qingfu.schools.tests import factories as f


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-11-23"


def a(world, who):
    return actor_for(world.users[who])


def _exam(world, grade: int, code: str, kind: str = "final", *, paper: bool = True, **kw):
    return services.exam_add(
        actor=a(world, "admin_a"),
        data=services.ExamInput(
            semester_id=Semester.objects.get(school=world.a).pk,
            grade_id=Grade.objects.get(school=world.a, number=grade).pk,
            subject_id=Subject.objects.get(school=world.a, code=code).pk,
            kind=kind, date=kw.get("date", dt.date(2027, 1, 12)),
            duration_minutes=kw.get("minutes", 60), is_paper=paper,
        ),
    )  # fmt: skip


def test_scheme_must_cover_0_to_100_without_gap_or_overlap() -> None:
    assert bands.scheme_problems(bands.DEFAULT_SCHEME) == []
    gap = [Band("优秀", 90, 100), Band("良好", 70, 85), Band("合格", 60, 70), Band("待合格", 0, 60)]
    assert bands.scheme_problems(gap) == ["85–90 分没有对应的等级（“良好”与“优秀”之间有空档）。"]
    overlap = [Band("优秀", 85, 100), Band("良好", 70, 90), Band("合格", 0, 70)]
    assert "重叠" in bands.scheme_problems(overlap)[0]
    assert bands.band_for(90, 100, bands.DEFAULT_SCHEME) == "优秀"
    assert bands.band_for(89.5, 100, bands.DEFAULT_SCHEME) == "良好"
    assert bands.band_for(100, 100, bands.DEFAULT_SCHEME) == "优秀"
    assert bands.band_for(0, 120, bands.DEFAULT_SCHEME) == "待合格"
    with pytest.raises(ValueError):
        bands.band_for(101, 100, bands.DEFAULT_SCHEME)


def test_band_scheme_is_checked_for_count_and_coverage(world) -> None:
    three = [Band("好", 60, 100), Band("中", 30, 60), Band("差", 0, 30)]
    with pytest.raises(ValidationFailed) as err:
        services.band_scheme_set(actor=a(world, "admin_a"), school_id=world.a.pk, bands=three)
    assert err.value.errors["bands"] == ["成绩分为 3 个等级，应为 4 或 5 个等级"]


def test_a_grade_1_paper_exam_is_refused_with_the_rule_and_nothing_is_saved(world) -> None:
    f.class_in(world.a, 1, 1)
    with pytest.raises(ValidationFailed) as err:
        _exam(world, 1, "chinese")
    message = err.value.errors["__all__"][0]
    assert (
        "“一、二年级不进行纸笔考试”的规定" in message
        and "exam.g1-2" not in message
        and "《关于加强义务教育学校考试管理的通知》（2021）" in message
    )
    assert not Exam.objects.exists()
    _exam(world, 1, "chinese", paper=False)  # a non-paper end-of-term assessment is fine
    assert Exam.objects.get().status == Exam.Status.DRAFT


def test_a_plan_already_in_breach_cannot_be_approved_and_the_rule_is_cited(world) -> None:
    """A paper exam kept from before the profile forbade it: the plan stays blocked."""
    f.class_in(world.a, 1, 1)
    _exam(world, 1, "chinese", paper=False)
    Exam.objects.update(is_paper=True)
    with pytest.raises(ValidationFailed) as err:
        services.plan_approve(
            actor=a(world, "admin_a"), semester_id=Semester.objects.get(school=world.a).pk,
            grade_id=Grade.objects.get(school=world.a, number=1).pk,
        )  # fmt: skip
    message = err.value.errors["__all__"][0]
    assert (
        "“一、二年级不进行纸笔考试”的规定" in message
        and "exam.g1-2" not in message
        and "《关于加强义务教育学校考试管理的通知》（2021）" in message
    )
    assert Exam.objects.get().status == Exam.Status.DRAFT
    _exam(world, 1, "math", paper=False)  # the existing breach does not stop other changes
    assert Exam.objects.count() == 2


def test_two_finals_or_a_primary_midterm_are_refused_one_final_is_approved(world) -> None:
    semester = Semester.objects.get(school=world.a)
    grade3 = Grade.objects.get(school=world.a, number=3)
    _exam(world, 3, "math")
    for kind, day in (("midterm", dt.date(2026, 11, 10)), ("final", dt.date(2027, 1, 13))):
        with pytest.raises(ValidationFailed) as err:
            _exam(world, 3, "math", kind, date=day)
        assert "“每学期考试次数”的规定" in err.value.errors["__all__"][0]
    assert Exam.objects.count() == 1
    plan = next(p for p in selectors.semester_plan(world.a.pk, semester.pk) if p.grade == grade3)
    assert not plan.blocked
    approved = services.plan_approve(
        actor=a(world, "admin_a"), semester_id=semester.pk, grade_id=grade3.pk
    )
    assert [e.status for e in approved] == ["approved"]


def test_an_exam_date_outside_the_semester_is_refused(world) -> None:
    with pytest.raises(ValidationFailed) as err:
        _exam(world, 3, "math", date=dt.date(2027, 3, 1))
    assert "不在本学期" in err.value.errors["date"][0]
    assert not Exam.objects.exists()


def _approved_math_exam(world) -> Exam:
    exam = _exam(world, 3, "math", date=dt.date(2026, 11, 20))
    services.plan_approve(
        actor=a(world, "admin_a"), semester_id=exam.semester_id, grade_id=exam.grade_id
    )
    return Exam.objects.get(pk=exam.pk)


def test_results_are_stored_as_bands_and_bad_scores_save_nothing(world) -> None:
    exam = _approved_math_exam(world)
    math = a(world, "math3")
    with pytest.raises(ValidationFailed) as err:
        services.results_enter(
            actor=math, exam_id=exam.pk, class_id=world.c31.pk, scores={world.s1.pk: 120}
        )
    assert err.value.errors == {f"score.{world.s1.pk}": ["分数 120 超出 0–100 分。"]}
    with pytest.raises(ValidationFailed):  # a student of another class
        services.results_enter(
            actor=math, exam_id=exam.pk, class_id=world.c31.pk, scores={world.s2.pk: 80}
        )
    assert not Result.objects.exists()
    services.results_enter(
        actor=math, exam_id=exam.pk, class_id=world.c31.pk, scores={world.s1.pk: 91.5}
    )
    result = Result.objects.get()
    assert result.band == "优秀"
    assert not [f.name for f in Result._meta.get_fields() if "score" in f.name or "rank" in f.name]
    with pytest.raises(NotFound):  # teaches the class, not the subject
        services.results_enter(
            actor=a(world, "head31"),
            exam_id=exam.pk,
            class_id=world.c31.pk,
            bands={world.s1.pk: "良好"},
        )


def test_results_reach_only_the_student_the_guardians_and_the_class_teachers(world) -> None:
    exam = _approved_math_exam(world)
    services.results_enter(
        actor=a(world, "math3"), exam_id=exam.pk, class_id=world.c31.pk, bands={world.s1.pk: "良好"}
    )
    for who in ("guardian1", "student1", "head31", "math3"):
        _student, results = selectors.student_results(a(world, who), world.s1.pk)
        assert [r.band for r in results] == ["良好"], who
    for who in ("guardian2", "teacher7", "admin_a", "officer_d1", "inspector_a"):
        with pytest.raises(NotFound):
            selectors.student_results(a(world, who), world.s1.pk)
    assert world.client("guardian1").get(f"/assessment/student/{world.s1.pk}/").status_code == 200
    assert world.client("guardian2").get(f"/assessment/student/{world.s1.pk}/").status_code == 404


def test_class_distribution_is_hidden_below_the_minimum_group(world) -> None:
    exam = _approved_math_exam(world)
    math = a(world, "math3")
    services.results_enter(
        actor=math, exam_id=exam.pk, class_id=world.c31.pk, bands={world.s1.pk: "良好"}
    )
    assert selectors.class_results(math, exam.pk, world.c31.pk).distribution is None
    pupils = [f.StudentFactory(school_class=world.c31) for _ in range(5)]
    services.results_enter(
        actor=math, exam_id=exam.pk, class_id=world.c31.pk,
        scores={p.pk: score for p, score in zip(pupils, (95, 80, 80, 65, 30), strict=True)},
    )  # fmt: skip
    view = selectors.class_results(math, exam.pk, world.c31.pk)
    assert view.distribution == {"优秀": 1, "良好": 3, "合格": 1, "待合格": 1}


# "不排名" (the pages' own promise) is allowed; any rank word or position is not.
RANKING = re.compile(r"(?<!不)排名|名次|\brank|position|第\s*\d+\s*名", re.I)


def test_no_result_bearing_page_ranks_or_orders_by_result(world) -> None:
    """Every page that shows results: no rank word, and students in roster order."""
    exam = _approved_math_exam(world)
    pupils = [f.StudentFactory(school_class=world.c31, name=f"学生{k}") for k in range(6)]
    scores = {p.pk: s for p, s in zip(pupils, (40, 95, 70, 88, 61, 99), strict=True)}
    services.results_enter(
        actor=a(world, "math3"), exam_id=exam.pk, class_id=world.c31.pk, scores=scores
    )
    pages = [
        ("math3", f"/assessment/exam/{exam.pk}/class/{world.c31.pk}/"),
        ("head31", f"/assessment/exam/{exam.pk}/class/{world.c31.pk}/"),
        ("guardian1", f"/assessment/student/{world.s1.pk}/"),
        ("math3", "/assessment/"),
        ("guardian1", f"/api/v1/assessment/students/{world.s1.pk}/results"),
        ("head31", f"/api/v1/assessment/students/{pupils[0].pk}/results"),
    ]
    for who, url in pages:
        response = world.client(who).get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not RANKING.search(re.sub(r"<[^>]+>", " ", body)), url
    body = world.client("math3").get(pages[0][1]).content.decode()
    shown = re.findall(r"学生\d", body)
    assert shown == [p.name for p in sorted(pupils, key=lambda p: p.pk)]


def test_results_cannot_be_entered_before_the_exam(world) -> None:
    exam = _exam(world, 3, "math")  # 12 January
    services.plan_approve(
        actor=a(world, "admin_a"), semester_id=exam.semester_id, grade_id=exam.grade_id
    )
    with pytest.raises(ValidationFailed) as err:
        services.results_enter(
            actor=a(world, "math3"), exam_id=exam.pk, class_id=world.c31.pk,
            bands={world.s1.pk: "良好"},
        )  # fmt: skip
    assert err.value.errors == {"__all__": ["考试还没有进行，不能录入成绩。"]}


def test_plan_page_refuses_a_grade_2_paper_exam_with_the_rule(world) -> None:
    client = world.client("admin_a")
    grade2 = Grade.objects.get(school=world.a, number=2)
    chinese = Subject.objects.get(school=world.a, code="chinese")
    form = {"action": "add", "grade_id": grade2.pk, "subject_id": chinese.pk, "kind": "final",
            "date": "2027-01-12", "duration_minutes": "40", "full_marks": "100"}  # fmt: skip
    refused = client.post("/assessment/plan/", {**form, "is_paper": "on"})
    body = refused.content.decode()
    assert refused.status_code == 422
    assert (
        "“一、二年级不进行纸笔考试”的规定" in body
        and "exam.g1-2" not in body
        and "《关于加强义务教育学校考试管理的通知》（2021）" in body
    )
    assert 'value="2027-01-12"' in body  # the form keeps what was typed
    assert not Exam.objects.exists()
    added = client.post("/assessment/plan/", form, follow=True)
    assert "已加入考试安排" in added.content.decode()
    approved = client.post("/assessment/plan/", {"action": "approve", "grade_id": grade2.pk})
    assert approved.status_code == 302
    assert Exam.objects.get().status == Exam.Status.APPROVED
    assert world.client("guardian1").get("/assessment/plan/").status_code == 404
