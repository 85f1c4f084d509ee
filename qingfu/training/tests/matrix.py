"""Off-campus training in the role matrix (qingfu/core/tests/matrix.py): the public lookup,
an institution's public page and the complaint form and follow-up answer everyone, signed
in or not; the registry, its import and the complaints' handling answer d1's training
officer (training_d1) only; an institution's own filings answer its staff (staff_i1) and,
through the API, the officer too; every other role gets the uniform 404 (the sign-in for a
visitor, 401 from the API) and changes nothing. The world's district d1 has one academic
institution (staff_i1's) and, once a case asks, one complaint and one filed course."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from qingfu.conftest import World
from qingfu.core.tests.matrix import INSTITUTION_STAFF, TRAINING_OFFICER, Case
from qingfu.training import services
from qingfu.training.models import Complaint, Course, Institution, Trainer
from qingfu.training.tests import factories as tf


def _institution(w: World) -> Institution:
    found = Institution.objects.filter(district=w.d1).first()
    return found or tf.institution(w.d1, name="青禾启明学科培训中心")


def _complaint(w: World) -> Complaint:
    found = Complaint.objects.filter(district=w.d1).first()
    return found or services.complaint_submit(
        district_id=w.d1.pk,
        institution_id=_institution(w).pk,
        institution_name="",
        what_happened="周六上午仍在上初中数学课，一次收了半年的费用。",
        contact="13800001111",
        address="matrix",
    )


def _course(w: World) -> Course:
    institution = _institution(w)
    return Course.objects.filter(institution=institution).first() or Course.objects.create(
        institution=institution, district=w.d1, status="filed", name="初二数学同步",
        subject="数学", grade_from=8, grade_to=8, lesson_minutes=45,
        benchmark_price=100, price=105,
    )  # fmt: skip


def _trainer(w: World) -> Trainer:
    institution = _institution(w)
    return Trainer.objects.filter(institution=institution).first() or Trainer.objects.create(
        institution=institution, district=w.d1, name="李明", certificate_number="20233100001"
    )


def _follow(w: World) -> str:
    c = _complaint(w)
    return f"/training/complaint/{c.reference}/?t={c.follow_token}"


def _find(w: World) -> str:
    c = _complaint(w)
    return f"/training/complaint/follow/?reference={c.reference}&token={c.follow_token}"


COMPLAINT_FORM = {
    "institution_name": "学府路无名补习班",
    "what_happened": "暑假期间集中讲授语文、数学新课，收费不开票据。",
}


def _complaint_form(w: World) -> tuple[str, dict[str, Any]]:
    return "/training/complaint/", {**COMPLAINT_FORM, "institution_id": str(_institution(w).pk)}


def _entry(w: World) -> dict[str, Any]:
    return {
        "name": "青禾新苗艺术",
        "credit_code": tf.credit_code(7001),
        "category": "non-academic",
        "subcategory": "arts",
        "address": "文昌路 8 号",
        "area_m2": "150",
    }


def _registry_post(w: World) -> tuple[str, dict[str, Any]]:
    return "/training/registry/", _entry(w)


SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "training_registry_sample.csv"


def _upload() -> dict[str, Any]:
    return {"file": SimpleUploadedFile("registry.csv", SAMPLE.read_bytes(), "text/csv")}


def _import_post(w: World) -> tuple[str, dict[str, Any]]:
    return "/training/registry/import/", _upload()


def _api_import(w: World) -> tuple[str, dict[str, Any]]:
    return f"{API}/districts/{w.d1.pk}/registry", _upload()


def _edit(w: World) -> str:
    return f"/training/registry/{_institution(w).pk}/"


def _edit_post(w: World) -> tuple[str, dict[str, Any]]:
    return _edit(w), {"action": "status", "status": "blacklisted", "reason": "无证办学"}


def _handle(w: World) -> str:
    return f"/training/complaints/{_complaint(w).pk}/"


def _handle_post(w: World) -> tuple[str, dict[str, Any]]:
    return _handle(w), {"status": "verifying", "note": "已转执法大队核查"}


def _mine_post(w: World) -> tuple[str, dict[str, Any]]:
    _institution(w)
    return "/training/mine/", {
        "action": "charge", "student_label": "QM-1", "amount": "900", "lesson_hours": "9",
        "months": "1", "paid_on": "2026-11-02", "into_supervised_account": "on",
        "account_bank": "江南银行",
    }  # fmt: skip


API = "/api/v1/training"


def _api(path: str, body: dict[str, Any] | None = None) -> Any:
    def target(w: World) -> Any:
        url = path.format(i=_institution(w).pk, c=_complaint(w).pk, d=w.d1.pk)
        return (url, body) if body is not None else url

    return target


def _api_follow(w: World) -> str:
    c = _complaint(w)
    return f"{API}/complaints/{c.reference}?token={c.follow_token}"


def _api_complaint(w: World) -> tuple[str, dict[str, Any]]:
    return f"{API}/complaints", {**COMPLAINT_FORM, "institution_id": _institution(w).pk}


def _api_entry(w: World) -> tuple[str, dict[str, Any]]:
    return f"{API}/institutions", {**_entry(w), "district_id": w.d1.pk}


def _api_update(w: World) -> tuple[str, dict[str, Any]]:
    return f"{API}/institutions/{_institution(w).pk}", _entry(w)


def _api_session(w: World) -> tuple[str, dict[str, Any]]:
    return f"{API}/institutions/{_institution(w).pk}/sessions", {
        "course_id": _course(w).pk, "weekday": 2, "start": "18:30", "end": "20:10", "mode": "offline",
        "lessons": 2, "break_minutes": 10, "term_first": "2026-10-12",
        "term_last": "2026-12-25",
    }  # fmt: skip


CHARGE = {
    "student_label": "QM-2", "amount": "900", "lesson_hours": 9, "months": 1,
    "paid_on": "2026-11-02", "into_supervised_account": True, "account_bank": "江南银行",
}  # fmt: skip
COURSE = {
    "name": "初二英语", "subject": "英语", "grade_from": 8, "grade_to": 8,
    "lesson_minutes": 45, "benchmark_price": "100", "price": "105",
}  # fmt: skip

CASES = [
    # The public: anyone, signed in or not.
    Case("training/", lambda w: "/training/?q=启明", public=True),
    Case(
        "training/i/<int:institution_id>/",
        lambda w: f"/training/i/{_institution(w).pk}/",
        public=True,
    ),
    Case("training/complaint/", lambda w: "/training/complaint/", public=True),
    Case("training/complaint/", _complaint_form, "POST", public=True),
    Case("training/complaint/follow/", _find, public=True),
    Case("training/complaint/<str:reference>/", _follow, public=True),
    # The training officer's pages: no role of the world is one.
    Case("training/registry/", lambda w: "/training/registry/", allowed=TRAINING_OFFICER),
    Case("training/registry/", _registry_post, "POST", allowed=TRAINING_OFFICER),
    Case(
        "training/registry/import/",
        lambda w: "/training/registry/import/",
        allowed=TRAINING_OFFICER,
    ),
    Case("training/registry/import/", _import_post, "POST", allowed=TRAINING_OFFICER),
    Case("training/registry/<int:institution_id>/", _edit, allowed=TRAINING_OFFICER),
    Case("training/registry/<int:institution_id>/", _edit_post, "POST", allowed=TRAINING_OFFICER),
    Case("training/complaints/", lambda w: "/training/complaints/", allowed=TRAINING_OFFICER),
    Case("training/complaints/<int:complaint_id>/", _handle, allowed=TRAINING_OFFICER),
    Case("training/complaints/<int:complaint_id>/", _handle_post, "POST", allowed=TRAINING_OFFICER),
    # An institution's own page: no role of the world is its staff.
    Case("training/mine/", lambda w: "/training/mine/", allowed=INSTITUTION_STAFF),
    Case("training/mine/", _mine_post, "POST", allowed=INSTITUTION_STAFF),
    # The API.
    Case("GET /api/v1/training/institutions", lambda w: f"{API}/institutions?q=启明", public=True),
    Case(
        "GET /api/v1/training/institutions/{institution_id}",
        _api(f"{API}/institutions/{{i}}"),
        public=True,
    ),
    Case(
        "POST /api/v1/training/institutions",
        _api_entry,
        "POST",
        json=True,
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "PUT /api/v1/training/institutions/{institution_id}",
        _api_update,
        "PUT",
        json=True,
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "POST /api/v1/training/institutions/{institution_id}/status",
        _api(f"{API}/institutions/{{i}}/status", {"status": "blacklisted", "reason": "无证"}),
        "POST",
        json=True,
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "POST /api/v1/training/institutions/{institution_id}/trainers",
        _api(f"{API}/institutions/{{i}}/trainers", {"name": "李老师", "certificate_number": "1"}),
        "POST",
        json=True,
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
    ),
    Case(
        "POST /api/v1/training/institutions/{institution_id}/courses",
        _api(f"{API}/institutions/{{i}}/courses", COURSE),
        "POST",
        json=True,
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
    ),
    Case(
        "POST /api/v1/training/institutions/{institution_id}/sessions",
        _api_session,
        "POST",
        json=True,
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
    ),
    Case(
        "POST /api/v1/training/institutions/{institution_id}/charges",
        _api(f"{API}/institutions/{{i}}/charges", CHARGE),
        "POST",
        json=True,
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
    ),
    Case(
        "POST /api/v1/training/districts/{district_id}/registry",
        _api_import,
        "POST",
        allowed=TRAINING_OFFICER,
    ),
    Case("POST /api/v1/training/complaints", _api_complaint, "POST", public=True, json=True),
    Case("GET /api/v1/training/complaints/{reference}", _api_follow, public=True),
    Case(
        "GET /api/v1/training/districts/{district_id}/complaints",
        _api(f"{API}/districts/{{d}}/complaints"),
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "POST /api/v1/training/complaints/{complaint_id}/moves",
        _api(f"{API}/complaints/{{c}}/moves", {"status": "verifying", "note": "核查"}),
        "POST",
        json=True,
        allowed=TRAINING_OFFICER,
    ),
    # The registry's reads: the district's list is the officer's; one institution's
    # history, refusals, sessions and charges are the officer's and its own staff's.
    Case(
        "GET /api/v1/training/districts/{district_id}/institutions",
        _api(f"{API}/districts/{{d}}/institutions?category=academic&q=启明&page_size=10"),
        allowed=TRAINING_OFFICER,
    ),
    Case(
        "GET /api/v1/training/institutions/{institution_id}/history",
        _api(f"{API}/institutions/{{i}}/history"),
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
    ),
    Case(
        "GET /api/v1/training/institutions/{institution_id}/refusals",
        _api(f"{API}/institutions/{{i}}/refusals"),
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
    ),
    Case(
        "GET /api/v1/training/institutions/{institution_id}/sessions",
        _api(f"{API}/institutions/{{i}}/sessions"),
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
    ),
    Case(
        "GET /api/v1/training/institutions/{institution_id}/charges",
        _api(f"{API}/institutions/{{i}}/charges"),
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
        personal=True,  # students' labels: the read is audited
    ),
    Case(
        "POST /api/v1/training/institutions/{institution_id}/recheck",
        _api(f"{API}/institutions/{{i}}/recheck", {}),
        "POST",
        json=True,
        allowed=TRAINING_OFFICER,
        writes=False,  # the world's filings all stand: a recheck that finds nothing changes nothing
    ),
    # Correcting and removing a trainer: the institution's staff and the officer, as adding.
    Case(
        "PUT /api/v1/training/trainers/{trainer_id}",
        lambda w: (
            f"{API}/trainers/{_trainer(w).pk}",
            {"name": "李老师", "certificate_number": "2"},
        ),
        "PUT",
        json=True,
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
    ),
    Case(
        "DELETE /api/v1/training/trainers/{trainer_id}",
        lambda w: f"{API}/trainers/{_trainer(w).pk}",
        "DELETE",
        allowed=TRAINING_OFFICER | INSTITUTION_STAFF,
    ),
    Case(
        "training/mine/",
        lambda w: ("/training/mine/", {"action": "trainer_remove", "trainer_id": _trainer(w).pk}),
        "POST",
        allowed=INSTITUTION_STAFF,
        note="trainer removed",
    ),
    Case(
        "training/registry/<int:institution_id>/",
        lambda w: (
            _edit(w),
            {"action": "trainer_edit", "trainer_id": _trainer(w).pk, "name": "李明远"},
        ),
        "POST",
        allowed=TRAINING_OFFICER,
        note="trainer corrected",
    ),
]
