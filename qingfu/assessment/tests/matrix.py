"""Assessment in the role matrix (qingfu/core/tests/matrix.py): the exam plan, a teacher's
exams, a class's results, a student's results (page and API), ability-element marks, the
class chart and the error notebook. School A has a grade-3 maths final and a marked
homework of 3(1) in which 张小一 missed 计算."""

from __future__ import annotations

import datetime as dt

from qingfu.assessment import marks, services
from qingfu.assessment.models import NotebookEntry
from qingfu.conftest import World
from qingfu.core.tests.matrix import ADMINS, TEACHERS_A, Case
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.services import homework_publish
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Grade, Semester, Subject

FINAL_DAY = dt.date(2027, 1, 12)
MONDAY = dt.date(2026, 11, 23)
ADMIN_A = frozenset({"admin_a"})
S1_FAMILY = frozenset({"student1", "guardian1"})


def _math(w: World) -> int:
    return Subject.objects.get(school=w.a, code="math").pk


def _grade3(w: World) -> int:
    return Grade.objects.get(school=w.a, number=3).pk


def _exam(w: World) -> int:
    """Grade 3's maths final, last Friday, in the approved plan: results can be entered."""
    admin = actor_for(w.users["admin_a"])
    semester = Semester.objects.get(school=w.a).pk
    exam = services.exam_add(
        actor=admin,
        data=services.ExamInput(
            semester_id=semester, grade_id=_grade3(w), subject_id=_math(w), kind="final",
            date=MONDAY - dt.timedelta(days=3), duration_minutes=60, is_paper=True,
        ),
    )  # fmt: skip
    services.plan_approve(actor=admin, semester_id=semester, grade_id=_grade3(w))
    return exam.pk


def _draft_exam(w: World) -> int:
    """Grade 3's maths final in the plan, not yet approved."""
    return services.exam_add(
        actor=actor_for(w.users["admin_a"]),
        data=services.ExamInput(
            semester_id=Semester.objects.get(school=w.a).pk, grade_id=_grade3(w),
            subject_id=_math(w), kind="final", date=FINAL_DAY, duration_minutes=60, is_paper=True,
        ),
    ).pk  # fmt: skip


def _marked(w: World) -> tuple[int, int]:
    """Maths homework of 3(1) with ability elements; 张小一 missed 计算: (homework, item)."""
    item = ItemDraft(
        content="口算练习", kind="written", tier="basic", minutes=15, place="home",
        ability_elements=("计算", "思维"),
    )  # fmt: skip
    homework = homework_publish(
        actor=actor_for(w.users["math3"]),
        draft=HomeworkDraft(_math(w), (w.c31.pk,), MONDAY, MONDAY, (item,)),
    )
    return homework.pk, homework.items.get().pk


def _notebook_entry(w: World) -> int:
    homework, item = _marked(w)
    marks.marks_save(
        actor=actor_for(w.users["math3"]), assignment_id=homework, class_id=w.c31.pk,
        marks={(w.s1.pk, item, "计算"): "miss"}, reasons={(w.s1.pk, item, "计算"): "careless"},
    )  # fmt: skip
    return NotebookEntry.objects.get().pk


def _marks_path(w: World) -> tuple[str, dict[str, str]]:
    homework, item = _marked(w)
    return f"/assessment/marks/{homework}/{w.c31.pk}/", {f"m-{w.s1.pk}-{item}-计算": "good"}


def _results_path(w: World) -> str:
    return f"/assessment/exam/{_exam(w)}/class/{w.c31.pk}/"


def _exam_form(w: World) -> dict[str, str]:
    return {
        "action": "add", "grade_id": str(_grade3(w)), "subject_id": str(_math(w)),
        "kind": "final", "date": FINAL_DAY.isoformat(), "duration_minutes": "60",
        "is_paper": "on", "full_marks": "100",
    }  # fmt: skip


def _exam_form(w: World) -> dict[str, str]:
    return {
        "action": "add", "grade_id": str(_grade3(w)), "subject_id": str(_math(w)),
        "kind": "final", "date": FINAL_DAY.isoformat(), "duration_minutes": "60",
        "is_paper": "on", "full_marks": "100",
    }  # fmt: skip


PLANNERS = ADMINS | {"leader3"}
# A class's results and marks: its teachers only (not the admin, not the grade's leader who
# teaches elsewhere), and a student's: also the student and the family (ARCHITECTURE.md 5).
TEACHERS_31 = frozenset({"head31", "math3"})

CASES = [
    Case("assessment/plan/", lambda w: "/assessment/plan/", allowed=PLANNERS),
    Case(
        "assessment/plan/",
        lambda w: ("/assessment/plan/", _exam_form(w)),
        "POST",
        allowed=frozenset({"admin_a", "leader3"}),
    ),
    # School A's exam named in the body: school B's admin, on its own plan, is refused.
    Case(
        "assessment/plan/",
        lambda w: ("/assessment/plan/", {"action": "remove", "exam_id": str(_draft_exam(w))}),
        "POST",
        allowed=frozenset({"admin_a", "leader3"}),
        note="remove an exam",
    ),
    Case("assessment/", lambda w: "/assessment/", allowed=TEACHERS_A | {"teacher_b"}),
    Case(
        "assessment/exam/<int:exam_id>/class/<int:class_id>/",
        _results_path,
        allowed=TEACHERS_31,
    ),
    Case(
        "assessment/exam/<int:exam_id>/class/<int:class_id>/",
        lambda w: (_results_path(w), {f"score-{w.s1.pk}": "95"}),
        "POST",
        allowed=frozenset({"math3"}),
    ),
    Case(
        "assessment/student/<int:student_id>/",
        lambda w: f"/assessment/student/{w.s1.pk}/",
        allowed=S1_FAMILY | TEACHERS_31,
        personal=True,
    ),
    Case(
        "GET /api/v1/assessment/students/{student_id}/results",
        lambda w: f"/api/v1/assessment/students/{w.s1.pk}/results",
        allowed=S1_FAMILY | TEACHERS_31,
        personal=True,
    ),
    Case(
        "assessment/marks/<int:assignment_id>/<int:class_id>/",
        lambda w: _marks_path(w)[0],
        allowed=frozenset({"math3"}),
    ),
    Case(
        "assessment/marks/<int:assignment_id>/<int:class_id>/",
        _marks_path,
        "POST",
        allowed=frozenset({"math3"}),
    ),
    Case(
        "assessment/chart/<int:class_id>/<int:subject_id>/",
        lambda w: f"/assessment/chart/{w.c31.pk}/{_math(w)}/",
        allowed=TEACHERS_31,
    ),
    Case(
        "assessment/notebook/<int:student_id>/",
        lambda w: (_notebook_entry(w), f"/assessment/notebook/{w.s1.pk}/")[1],
        allowed=S1_FAMILY | TEACHERS_31,
        personal=True,
    ),
    Case(
        "assessment/notebook/<int:student_id>/",
        lambda w: (f"/assessment/notebook/{w.s1.pk}/", {"entry_id": str(_notebook_entry(w))}),
        "POST",
        allowed=S1_FAMILY,
    ),
    # No entry named: those who may read the notebook see it again with the error.
    Case(
        "assessment/notebook/<int:student_id>/",
        lambda w: (f"/assessment/notebook/{w.s1.pk}/", {"entry_id": ""}),
        "POST",
        answers=dict.fromkeys(S1_FAMILY | TEACHERS_31, 422),
        note="no entry named",
    ),
]
