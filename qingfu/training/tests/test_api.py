"""The training API: public reads and complaints without sign-in, the officer's writes and
an institution's filings through the same services, in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from qingfu.core.models import AuditEntry
from qingfu.schools.models import PolicyOverride
from qingfu.training import services
from qingfu.training.models import Complaint, PrepaidCharge, Session
from qingfu.training.tests import factories as tf
from qingfu.training.tests.conftest import TrainingWorld
from qingfu.training.tests.factories import credit_code
from qingfu.training.tests.test_services import charge

pytestmark = pytest.mark.django_db
BASE = "/api/v1/training"


def signed_in(tw: TrainingWorld, who: str) -> Client:
    client = Client()
    client.force_login(getattr(tw.people, who))
    return client


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_the_registry_reads_are_public_and_in_openapi(tw: TrainingWorld) -> None:
    public = Client()
    found = public.get(f"{BASE}/institutions", {"q": "启明"})
    assert found.status_code == 200
    assert [i["name"] for i in found.json()] == ["青禾启明学科培训中心"]
    detail = public.get(f"{BASE}/institutions/{tw.mine.pk}").json()
    assert detail["status"] == "registered" and detail["courses"][0]["name"] == "初二数学同步"
    assert "charges" not in detail
    assert public.get(f"{BASE}/institutions/999999").status_code == 404
    paths = set(public.get("/api/v1/openapi.json").json()["paths"])
    for path in (
        "/api/v1/training/institutions",
        "/api/v1/training/institutions/{institution_id}",
        "/api/v1/training/institutions/{institution_id}/status",
        "/api/v1/training/institutions/{institution_id}/sessions",
        "/api/v1/training/institutions/{institution_id}/charges",
        "/api/v1/training/complaints",
        "/api/v1/training/complaints/{reference}",
        "/api/v1/training/complaints/{complaint_id}/moves",
    ):
        assert path in paths, path


def test_filings_through_the_api_are_refused_with_the_rule(tw: TrainingWorld) -> None:
    staff = signed_in(tw, "staff")
    saturday = post(
        staff,
        f"{BASE}/institutions/{tw.mine.pk}/sessions",
        {
            "course_id": tw.course.pk,
            "weekday": 5,
            "start": "09:00",
            "end": "09:45",
            "mode": "offline",
            "term_first": "2026-10-12",
            "term_last": "2026-12-25",
        },
    )
    assert saturday.status_code == 422
    assert "节假日不组织学科类培训" in saturday.json()["message"]
    assert Session.objects.count() == 0
    charge = {
        "student_label": "QM-2",
        "amount": "4800",
        "lesson_hours": 40,
        "months": 4,
        "paid_on": "2026-11-01",
        "into_supervised_account": True,
        "account_bank": "江南银行",
    }
    four = post(staff, f"{BASE}/institutions/{tw.mine.pk}/charges", charge)
    assert four.status_code == 422 and "预收费覆盖月数" in four.json()["message"]
    ok = post(staff, f"{BASE}/institutions/{tw.mine.pk}/charges", {**charge, "months": 3})
    assert ok.status_code == 201 and ok.json()["status"] == "filed"
    assert PrepaidCharge.objects.count() == 1
    other = post(staff, f"{BASE}/institutions/{tw.other.pk}/charges", charge)
    assert other.status_code == 404
    bad = post(staff, f"{BASE}/institutions/{tw.mine.pk}/charges", {**charge, "months": "x"})
    assert bad.status_code == 422 and "months" in bad.json()["errors"]
    assert Client().post(
        f"{BASE}/institutions/{tw.mine.pk}/charges", charge, content_type="application/json"
    ).status_code in (401, 403)


def test_the_officer_writes_the_registry(tw: TrainingWorld) -> None:
    officer = signed_in(tw, "officer")
    entry = {
        "district_id": tw.world.d1.pk,
        "name": "青禾星空科技",
        "credit_code": credit_code(8001),
        "category": "non-academic",
        "subcategory": "science",
        "address": "科创路 2 号",
        "area_m2": "260",
    }
    made = post(officer, f"{BASE}/institutions", entry)
    assert made.status_code == 201 and made.json()["status"] == "registered"
    again = post(officer, f"{BASE}/institutions", entry)
    assert again.status_code == 422 and "credit_code" in again.json()["errors"]
    pk = made.json()["id"]
    black = post(officer, f"{BASE}/institutions/{pk}/status", {"status": "blacklisted"})
    assert black.status_code == 422
    black = post(
        officer, f"{BASE}/institutions/{pk}/status", {"status": "blacklisted", "reason": "虚假宣传"}
    )
    assert black.status_code == 200 and black.json()["status_reason"] == "虚假宣传"
    staff = signed_in(tw, "staff")
    assert (
        post(staff, f"{BASE}/institutions/{pk}/status", {"status": "registered"}).status_code == 404
    )


def test_complaints_through_the_api(tw: TrainingWorld) -> None:
    public = Client()
    made = post(
        public,
        f"{BASE}/complaints",
        {
            "institution_id": tw.mine.pk,
            "what_happened": "寒假集中补课十天，每天八小时。",
            "contact": "微信 abc",
        },
    )
    assert made.status_code == 201
    body = made.json()
    assert body["status"] == "received" and "contact" not in body
    follow = public.get(f"{BASE}/complaints/{body['reference']}", {"token": body["follow_token"]})
    assert follow.status_code == 200
    assert public.get(f"{BASE}/complaints/{body['reference']}", {"token": "x"}).status_code == 404
    officer = signed_in(tw, "officer")
    listed = officer.get(f"{BASE}/districts/{tw.world.d1.pk}/complaints").json()
    assert listed[0]["contact"] == "微信 abc"
    assert (
        signed_in(tw, "staff").get(f"{BASE}/districts/{tw.world.d1.pk}/complaints").status_code
        == 404
    )
    pk = Complaint.objects.get().pk
    moved = post(
        officer, f"{BASE}/complaints/{pk}/moves", {"status": "rejected", "note": "重复投诉"}
    )
    assert moved.status_code == 200 and moved.json()["status"] == "rejected"


def test_values_too_big_for_their_columns_are_the_fields_errors(tw: TrainingWorld) -> None:
    officer = signed_in(tw, "officer")
    entry = {
        "district_id": tw.world.d1.pk,
        "name": "很" * 101,
        "credit_code": credit_code(8101),
        "category": "non-academic",
        "subcategory": "science",
        "address": "科创路 2 号",
        "area_m2": "100000000",
    }
    answer = post(officer, f"{BASE}/institutions", entry)
    assert answer.status_code == 422 and {"name", "area_m2"} <= set(answer.json()["errors"])
    staff = signed_in(tw, "staff")
    charge = {
        "student_label": "QM-" + "9" * 50,
        "amount": "1000000000000",
        "lesson_hours": 10,
        "months": 1,
        "paid_on": "2026-11-01",
        "into_supervised_account": True,
        "account_bank": "江南银行",
    }
    answer = post(staff, f"{BASE}/institutions/{tw.mine.pk}/charges", charge)
    assert answer.status_code == 422
    assert {"student_label", "amount"} <= set(answer.json()["errors"])
    assert PrepaidCharge.objects.count() == 0


def _file_charges(tw: TrainingWorld, n: int) -> None:
    for k in range(n):
        services.charge_file(
            actor=tw.actor("staff"),
            institution_id=tw.mine.pk,
            data=charge(student_label=f"QM-{k}", paid_on=dt.date(2026, 9, 3 + k)),
        )


def test_the_officer_reads_the_registry_page_by_page_with_filters(tw: TrainingWorld) -> None:
    for n in range(7):
        tf.institution(tw.world.d1, name=f"青禾晨光{n}艺术", category="non-academic")
    officer = signed_in(tw, "officer")
    url = f"{BASE}/districts/{tw.world.d1.pk}/institutions"
    first = officer.get(url, {"q": "晨光", "page_size": 5}).json()
    assert first["count"] == 7 and len(first["items"]) == 5 and first["page"] == 1
    second = officer.get(url, {"q": "晨光", "page_size": 5, "page": 2}).json()
    names = {i["name"] for i in first["items"]} | {i["name"] for i in second["items"]}
    assert len(names) == 7 and len(second["items"]) == 2
    academic = officer.get(url, {"category": "academic"}).json()
    assert [i["name"] for i in academic["items"]] == ["青禾启明学科培训中心"]
    assert academic["items"][0]["refused"] == 0 and academic["items"][0]["district"]
    by_code = officer.get(url, {"q": tw.mine.credit_code}).json()
    assert [i["id"] for i in by_code["items"]] == [tw.mine.pk]
    assert officer.get(url, {"status": "blacklisted"}).json()["count"] == 0
    assert officer.get(url, {"status": "gone"}).status_code == 422
    assert officer.get(url, {"page_size": 201}).status_code == 422
    # Another district's registry, and the staff's: the uniform 404.
    assert officer.get(f"{BASE}/districts/{tw.world.d2.pk}/institutions").status_code == 404
    assert signed_in(tw, "staff").get(url).status_code == 404


def test_an_institutions_records_are_its_staffs_and_its_officers_only(tw: TrainingWorld) -> None:
    _file_charges(tw, 2)
    services.institution_set_status(
        actor=tw.actor("officer"), institution_id=tw.mine.pk, status="rectifying", reason="整改"
    )
    for who in ("staff", "officer"):
        client = signed_in(tw, who)
        history = client.get(f"{BASE}/institutions/{tw.mine.pk}/history").json()
        assert [h["status"] for h in history] == ["rectifying", "registered"]
        assert history[0]["reason"] == "整改"
        charges = client.get(f"{BASE}/institutions/{tw.mine.pk}/charges").json()
        assert [c["student_label"] for c in charges] == ["QM-1", "QM-0"]
        sessions = client.get(f"{BASE}/institutions/{tw.mine.pk}/sessions")
        assert sessions.status_code == 200 and sessions.json() == []
    # The charges name students: each read is in the audit log; a refused one is not.
    entries = AuditEntry.objects.filter(object_type="training_charges")
    assert entries.count() == 2 and {e.object_id for e in entries} == {str(tw.mine.pk)}
    other = signed_in(tw, "other_staff")
    for path in ("history", "refusals", "sessions", "charges"):
        for institution in (tw.mine, tw.far):
            url = f"{BASE}/institutions/{institution.pk}/{path}"
            answer = other.get(url)
            assert answer.status_code == 404 and answer.json()["code"] == "not_found", url
        assert (
            signed_in(tw, "officer").get(f"{BASE}/institutions/{tw.far.pk}/{path}").status_code
            == 404
        )
        assert signed_in(tw, "staff").get(f"{BASE}/institutions/999999/{path}").status_code == 404
    assert AuditEntry.objects.filter(object_type="training_charges").count() == 2


def test_a_recheck_answers_what_it_refused_and_the_refusals_stay_readable(
    tw: TrainingWorld,
) -> None:
    _file_charges(tw, 2)
    url = f"{BASE}/institutions/{tw.mine.pk}/recheck"
    officer = signed_in(tw, "officer")
    nothing = post(officer, url, {})
    assert nothing.status_code == 200 and nothing.json() == {"refused": 0, "filings": []}
    PolicyOverride.objects.create(
        level=PolicyOverride.Level.DISTRICT,
        district=tw.world.d1,
        thresholds={"trn.prepaid": 2, "trn.prices": 4},
    )
    # The staff may not recheck (the officer's), nor anyone another district's.
    assert post(signed_in(tw, "staff"), url, {}).status_code == 404
    assert post(officer, f"{BASE}/institutions/{tw.far.pk}/recheck", {}).status_code == 404
    assert not PrepaidCharge.objects.filter(status="refused").exists()
    answer = post(officer, url, {}).json()
    assert answer["refused"] == 3
    kinds = sorted((f["kind"], f["rules"][0]["rule_id"]) for f in answer["filings"])
    assert kinds == [("charge", "trn.prepaid"), ("charge", "trn.prepaid"), ("course", "trn.prices")]
    course = next(f for f in answer["filings"] if f["kind"] == "course")
    assert course["id"] == tw.course.pk and course["rules"][0]["title"] == "培训收费上浮幅度"
    assert "上浮超过 4%" in course["rules"][0]["message"]
    assert course["rules"][0]["citation"].startswith("《关于加强义务教育阶段学科类")
    again = post(officer, url, {}).json()
    assert again == {"refused": 0, "filings": []}  # a refused filing is not refused twice
    for who in ("staff", "officer"):
        reader = signed_in(tw, who)
        reader.post("/language/", {"language": "en", "next": "/"})  # the reader chose English
        rows = reader.get(f"{BASE}/institutions/{tw.mine.pk}/refusals").json()
        assert sorted(r["kind"] for r in rows) == ["charge", "charge", "course"]
        assert all(r["rules"][0]["rule_id"] in {"trn.prepaid", "trn.prices"} for r in rows)
    english = next(r for r in rows if r["kind"] == "course")["rules"][0]
    assert english["title"] == "Training price above benchmark", english
