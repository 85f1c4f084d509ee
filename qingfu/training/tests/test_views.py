"""The training pages through the Django client: the public lookup and complaint form
without sign-in, the officer's registry and complaint handling, an institution's filings
with refusals shown next to the form, and bad input answered 422 with field errors."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qingfu.training import selectors, services
from qingfu.training.models import Complaint, Course, Institution, PrepaidCharge, Session
from qingfu.training.tests import factories as tf
from qingfu.training.tests.conftest import TrainingWorld
from qingfu.training.tests.factories import credit_code

pytestmark = pytest.mark.django_db


def signed_in(tw: TrainingWorld, who: str) -> Client:
    client = Client()
    client.force_login(getattr(tw.people, who))
    return client


def test_the_public_lookup_needs_no_sign_in_and_shows_no_student_data(tw: TrainingWorld) -> None:
    services.charge_file(
        actor=tw.actor("staff"),
        institution_id=tw.mine.pk,
        data=services.ChargeInput(
            "QM-SECRET-01", Decimal(900), 9, 1, tw.course.filed_at.date(), True, "江南银行"
        ),
    )
    services.trainer_add(
        actor=tw.actor("staff"),
        institution_id=tw.mine.pk,
        name="李老师",
        certificate_number="20213301234567",
        teaches_academic=True,
    )
    client = Client()
    page = client.get(reverse("training:lookup"), {"q": "启明"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "青禾启明学科培训中心" in html and "青禾小白鹭舞蹈" not in html
    by_code = client.get(reverse("training:lookup"), {"q": tw.other.credit_code.lower()})
    assert "青禾小白鹭舞蹈" in by_code.content.decode()

    detail = client.get(reverse("training:institution", args=[tw.mine.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "在册" in html and "<svg" in html
    assert "李老师" in html and "20213301234567" in html
    assert "初二数学同步" in html and "105.00" in html
    assert "QM-SECRET-01" not in html  # no student label, no charge
    assert client.get(reverse("training:institution", args=[99999])).status_code == 404


def test_a_blacklisted_institution_shows_the_banner(tw: TrainingWorld) -> None:
    services.institution_set_status(
        actor=tw.actor("officer"),
        institution_id=tw.other.pk,
        status="blacklisted",
        reason="无证办学",
    )
    html = Client().get(reverse("training:institution", args=[tw.other.pk])).content.decode()
    assert "blacklist-banner" in html and "无证办学" in html


def test_a_complaint_is_submitted_followed_and_closed_by_the_officer(tw: TrainingWorld) -> None:
    public = Client()
    form = public.get(reverse("training:complaint"), {"i": tw.mine.pk})
    assert form.status_code == 200
    sent = public.post(
        reverse("training:complaint"),
        {
            "institution_id": tw.mine.pk,
            "what_happened": "国庆假期连续三天上午上数学课，要求一次交一学期学费。",
            "contact": "13800001111",
        },
        REMOTE_ADDR="10.1.1.1",
    )
    assert sent.status_code == 302
    follow_url = sent["Location"]
    complaint = Complaint.objects.get()
    assert complaint.reference in follow_url and f"t={complaint.follow_token}" in follow_url
    page = public.get(follow_url)
    html = page.content.decode()
    assert page.status_code == 200 and complaint.reference in html and "受理" in html
    assert "13800001111" not in html  # the contact is for the officer only
    for guess in ("guess", "查询码", ""):
        wrong = public.get(reverse("training:follow", args=[complaint.reference]), {"t": guess})
        assert wrong.status_code == 404
    found = public.get(
        reverse("training:find"),
        {"reference": complaint.reference, "token": complaint.follow_token},
    )
    assert complaint.reference in found.content.decode()

    officer = signed_in(tw, "officer")
    listing = officer.get(reverse("training:complaints"))
    assert complaint.reference in listing.content.decode()
    handle = reverse("training:handle", args=[complaint.pk])
    assert "13800001111" in officer.get(handle).content.decode()
    bad = officer.post(handle, {"status": "closed", "note": ""})
    assert bad.status_code == 422 and "办结须写明处理结果" in bad.content.decode()
    for status, note in (("verifying", "已核实"), ("handling", "责令退费"), ("closed", "已退费")):
        assert officer.post(handle, {"status": status, "note": note}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    html = public.get(follow_url).content.decode()
    assert "办结" in html and "已退费" in html
    # The institution's staff cannot read the complaint or its contact.
    staff = signed_in(tw, "staff")
    assert staff.get(handle).status_code == 404
    assert staff.get(reverse("training:complaints")).status_code == 404


def test_the_complaint_form_answers_bad_input_and_floods_with_422(tw: TrainingWorld) -> None:
    public = Client()
    bad = public.post(reverse("training:complaint"), {"institution_id": "abc", "what_happened": ""})
    assert bad.status_code == 422
    assert Complaint.objects.count() == 0
    data = {
        "institution_name": "学府路无名补习班",
        "what_happened": "暑假期间集中补课，收费不开票据。",
    }
    for _n in range(services.COMPLAINTS_PER_HOUR):
        assert (
            public.post(reverse("training:complaint"), data, REMOTE_ADDR="10.2.2.2").status_code
            == 302
        )
    flood = public.post(reverse("training:complaint"), data, REMOTE_ADDR="10.2.2.2")
    assert flood.status_code == 422 and "每小时最多" in flood.content.decode()
    assert Complaint.objects.count() == services.COMPLAINTS_PER_HOUR


def test_behind_a_proxy_complaints_are_limited_per_client_not_per_proxy(
    tw: TrainingWorld, settings: Any
) -> None:
    # Sign-in throttling and the complaint limit read one resolver: behind a proxy every
    # request comes from the proxy's address, and the client's is in the header it sets.
    settings.QINGFU_CLIENT_IP_HEADER = "X-Real-IP"
    public = Client()
    data = {"institution_name": "学府路无名补习班", "what_happened": "周六上午开设数学课。"}
    for _n in range(services.COMPLAINTS_PER_HOUR):
        sent = public.post(
            reverse("training:complaint"), data, REMOTE_ADDR="10.9.9.9", HTTP_X_REAL_IP="1.1.1.1"
        )
        assert sent.status_code == 302
    other_family = public.post(
        reverse("training:complaint"), data, REMOTE_ADDR="10.9.9.9", HTTP_X_REAL_IP="2.2.2.2"
    )
    assert other_family.status_code == 302
    flood = public.post(
        reverse("training:complaint"), data, REMOTE_ADDR="10.9.9.9", HTTP_X_REAL_IP="1.1.1.1"
    )
    assert flood.status_code == 422


def test_staff_see_a_saturday_session_refused_next_to_the_form(tw: TrainingWorld) -> None:
    staff = signed_in(tw, "staff")
    url = reverse("training:mine")
    assert staff.get(url).status_code == 200
    refused = staff.post(
        url,
        {
            "action": "session",
            "course_id": tw.course.pk,
            "weekday": 5,
            "start": "09:00",
            "end": "10:40",
            "mode": "offline",
            "lessons": 2,
            "break_minutes": 10,
            "term_first": "2026-10-12",
            "term_last": "2026-12-25",
        },
    )
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "refusals" in html and "节假日不组织学科类培训" in html and "周六" in html
    assert Session.objects.count() == 0
    charge = staff.post(
        url,
        {
            "action": "charge",
            "student_label": "QM-1",
            "amount": "4800",
            "lesson_hours": "48",
            "months": "4",
            "paid_on": "2026-11-01",
            "into_supervised_account": "on",
            "account_bank": "江南银行",
        },
    )
    assert charge.status_code == 422 and "预收费覆盖月数" in charge.content.decode()
    assert PrepaidCharge.objects.count() == 0
    bad = staff.post(url, {"action": "course", "name": "", "price": "lots", "grade_from": "x"})
    assert bad.status_code == 422
    assert 'class="errorlist"' in bad.content.decode()
    assert Course.objects.count() == 1
    ok = staff.post(
        url,
        {
            "action": "course",
            "name": "初一语文阅读",
            "subject": "语文",
            "grade_from": "7",
            "grade_to": "7",
            "lesson_minutes": "45",
            "benchmark_price": "90",
            "price": "95",
        },
    )
    assert ok.status_code == 302 and Course.objects.count() == 2


def test_the_officer_keeps_the_registry(tw: TrainingWorld) -> None:
    officer = signed_in(tw, "officer")
    page = officer.get(reverse("training:registry"), {"category": "academic"})
    html = page.content.decode()
    assert page.status_code == 200 and "青禾启明学科培训中心" in html
    assert "外区培训学校" not in html  # another district's
    rows = selectors.registry_for(tw.actor("officer"), district_id=tw.world.d1.pk)
    assert [r.refused for r in rows] == [0, 0]
    entry = {
        "name": "青禾新苗艺术",
        "credit_code": credit_code(7001)[:17] + "0",
        "category": "non-academic",
        "subcategory": "arts",
        "address": "文昌路 8 号",
        "area_m2": "150",
    }
    if credit_code(7001).endswith("0"):
        entry["credit_code"] = credit_code(7001)[:17] + "1"
    bad = officer.post(reverse("training:registry"), entry)
    assert bad.status_code == 422 and "校验位" in bad.content.decode()
    entry["credit_code"] = credit_code(7001)
    assert officer.post(reverse("training:registry"), entry).status_code == 302
    made = Institution.objects.get(unit__name="青禾新苗艺术")
    edit = reverse("training:edit", args=[made.pk])
    assert officer.get(edit).status_code == 200
    no_reason = officer.post(edit, {"action": "status", "status": "blacklisted", "reason": ""})
    assert no_reason.status_code == 422
    done = officer.post(edit, {"action": "status", "status": "rectifying", "reason": "消防不达标"})
    assert done.status_code == 302
    made.refresh_from_db()
    assert made.status == "rectifying"
    assert officer.get(reverse("training:edit", args=[tw.far.pk])).status_code == 404


def test_signed_out_and_wrong_roles_get_nothing_private(tw: TrainingWorld) -> None:
    anonymous = Client()
    for name in ("training:registry", "training:complaints", "training:mine"):
        assert anonymous.get(reverse(name)).status_code == 302  # to sign-in
    staff = signed_in(tw, "other_staff")
    assert staff.get(reverse("training:registry")).status_code == 404
    officer = signed_in(tw, "officer")
    assert officer.get(reverse("training:mine")).status_code == 404
    assert re.search(r"status-badge", anonymous.get(reverse("training:lookup")).content.decode())


def test_list_pages_cost_a_fixed_number_of_queries(
    tw: TrainingWorld, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        tf.institution(tw.world.d1, name=f"青禾第{n}培训中心")
        services.complaint_submit(
            district_id=tw.world.d1.pk,
            institution_id=tw.mine.pk,
            institution_name="",
            what_happened="周六上午仍在上初中数学课。" * 2,
            contact="",
            address=f"q{n}",
        )
    public = Client()
    with django_assert_max_num_queries(3):
        assert public.get(reverse("training:lookup")).status_code == 200
    with django_assert_max_num_queries(8):
        assert public.get(reverse("training:institution", args=[tw.mine.pk])).status_code == 200
    officer = signed_in(tw, "officer")
    officer.get(reverse("training:registry"))  # the actor and the session, cached
    with django_assert_max_num_queries(12):
        assert officer.get(reverse("training:registry")).status_code == 200
    with django_assert_max_num_queries(12):
        assert officer.get(reverse("training:complaints")).status_code == 200


def test_the_district_page_counts_training_without_names(tw: TrainingWorld) -> None:
    services.complaint_submit(
        district_id=None,
        institution_id=tw.mine.pk,
        institution_name="",
        what_happened="寒假集中补课十天，每天八小时。",
        contact="13800002222",
        address="10.3.3.3",
        today=dt.date(2026, 10, 1),  # its deadline, 10-16, has passed on 11-02
    )
    page = tw.world.client("officer_d1").get(reverse("web:district", args=[tw.world.d1.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="training"' in html
    assert '<b id="training-overdue">1</b>' in html
    assert "13800002222" not in html and "青禾启明" not in html


def test_the_home_page_leads_the_officer_and_the_staff_to_their_pages(
    tw: TrainingWorld, settings: Any
) -> None:
    # The home counts today's duties: pin the day and the time of day.
    settings.QINGFU_TODAY, settings.QINGFU_CLOCK = "2026-11-23", "18:00"
    services.complaint_submit(
        district_id=None,
        institution_id=tw.mine.pk,
        institution_name="",
        what_happened="寒假集中补课十天，每天八小时。",
        contact="",
        address="10.4.4.4",
        today=dt.date(2026, 10, 1),
    )
    home = signed_in(tw, "officer").get("/").content.decode()
    assert "校外培训治理" in home and "1 件投诉举报逾期未办结" in home
    assert reverse("training:registry") in home
    home = signed_in(tw, "staff").get("/").content.decode()
    assert "青禾启明学科培训中心" in home and reverse("training:mine") in home
    assert "还没有分配角色" not in home


def test_the_pages_read_in_english(tw: TrainingWorld) -> None:
    public = Client()
    public.cookies["django_language"] = "en"
    html = public.get(reverse("training:institution", args=[tw.mine.pk])).content.decode()
    assert "Certified trainers" in html and "Registered" in html
    staff = signed_in(tw, "staff")
    staff.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    refused = staff.post(
        reverse("training:mine"),
        {"action": "charge", "student_label": "QM-1", "amount": "4800", "lesson_hours": "48",
         "months": "4", "paid_on": "2026-11-01", "into_supervised_account": "on",
         "account_bank": "江南银行"},
    )  # fmt: skip
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "One prepayment covers 4 months, more than 3" in html and "Prepayment in months" in html


def test_trainers_are_corrected_and_removed_by_staff_and_officer_only(tw: TrainingWorld) -> None:
    """The institution's staff (on their page) and the officer (on the registry's) correct a
    trainer and take one off the list; a certificate is still required for academic
    training; anyone else's trainer is the uniform 404 and nothing changes."""
    staff = Client()
    staff.force_login(tw.people.staff)
    li = services.trainer_add(
        actor=tw.actor("staff"), institution_id=tw.mine.pk, name="李明",
        certificate_number="20233100001", teaches_academic=True,
    )  # fmt: skip
    wang = services.trainer_add(
        actor=tw.actor("staff"), institution_id=tw.mine.pk, name="王芳",
        certificate_number="", teaches_academic=False,
    )  # fmt: skip
    theirs = services.trainer_add(
        actor=tw.actor("other_staff"), institution_id=tw.other.pk, name="赵舞",
        certificate_number="", teaches_academic=False,
    )  # fmt: skip
    mine = reverse("training:mine")
    page = staff.get(mine).content.decode()
    assert f'data-trainer="{li.pk}"' in page and "修改或移出" in page
    edit = {"action": "trainer_edit", "trainer_id": li.pk, "name": "李明",
            "certificate_number": "", "teaches_academic": "on"}  # fmt: skip
    # The clerk renamed him and cleared the certificate: refused, and the form shows what
    # they typed with the rule next to the certificate field, not the saved entry.
    refused = staff.post(mine, {**edit, "name": "李明远"})
    assert refused.status_code == 422
    shown = _trainer_form(refused.content.decode(), li.pk)
    assert 'name="name" value="李明远"' in shown
    assert 'name="certificate_number" value=""' in shown
    assert re.search(
        r'name="certificate_number"[^>]*aria-invalid="true"[^>]*>'
        r'<ul class="errorlist"[^>]*><li>[^<]*学科类培训人员持教师资格证',
        shown,
    )
    li.refresh_from_db()
    assert (li.name, li.certificate_number) == ("李明", "20233100001")
    blank = staff.post(mine, {**edit, "name": " ", "certificate_number": "1"})
    assert blank.status_code == 422
    shown = _trainer_form(blank.content.decode(), li.pk)
    assert 'name="certificate_number" value="1"' in shown and "这个字段是必填项" in shown
    assert re.search(
        rf'<details open>.*name="trainer_id" value="{li.pk}"', blank.content.decode(), re.S
    )
    done = staff.post(mine, {**edit, "name": "李明辉", "certificate_number": "20233100009"})
    assert done.status_code == 302
    li.refresh_from_db()
    assert (li.name, li.certificate_number) == ("李明辉", "20233100009")
    # Another institution's trainer: not found, unchanged, not removed.
    for body in (
        {**edit, "trainer_id": theirs.pk, "certificate_number": "1"},
        {"action": "trainer_remove", "trainer_id": theirs.pk},
    ):
        assert staff.post(mine, body).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "赵舞"
    removed = staff.post(mine, {"action": "trainer_remove", "trainer_id": wang.pk})
    assert removed.status_code == 302
    assert not tw.mine.trainers.filter(pk=wang.pk).exists()
    assert f'data-trainer="{wang.pk}"' not in staff.get(mine).content.decode()
    # The officer, on the institution's registry page.
    officer = Client()
    officer.force_login(tw.people.officer)
    edit_url = reverse("training:edit", args=[tw.other.pk])
    assert f'data-trainer="{theirs.pk}"' in officer.get(edit_url).content.decode()
    corrected = officer.post(
        edit_url, {"action": "trainer_edit", "trainer_id": theirs.pk, "name": "赵舞云"}
    )
    assert corrected.status_code == 302
    theirs.refresh_from_db()
    assert theirs.name == "赵舞云"
    assert (
        officer.post(edit_url, {"action": "trainer_remove", "trainer_id": theirs.pk}).status_code
        == 302
    )
    assert not tw.other.trainers.exists()
    far = services.trainer_add(
        actor=_far_officer(tw), institution_id=tw.far.pk,
        name="外区老师", certificate_number="", teaches_academic=False,
    )  # fmt: skip
    assert (
        officer.post(edit_url, {"action": "trainer_remove", "trainer_id": far.pk}).status_code
        == 404
    )
    assert tw.far.trainers.filter(pk=far.pk).exists()


def _trainer_form(html: str, trainer_id: int) -> str:
    """The correction form of one trainer on a page."""
    start = html.index(f'<li data-trainer="{trainer_id}">')
    return html[start : html.index("</li>", html.index('class="trainer-remove"', start))]


def test_a_refused_correction_on_the_officers_page_keeps_what_was_typed(
    tw: TrainingWorld,
) -> None:
    li = services.trainer_add(
        actor=tw.actor("staff"), institution_id=tw.mine.pk, name="李明",
        certificate_number="20233100001", teaches_academic=False,
    )  # fmt: skip
    officer = signed_in(tw, "officer")
    url = reverse("training:edit", args=[tw.mine.pk])
    refused = officer.post(
        url,
        {"action": "trainer_edit", "trainer_id": li.pk, "name": "李明",
         "certificate_number": "", "teaches_academic": "on"},
    )  # fmt: skip
    assert refused.status_code == 422
    shown = _trainer_form(refused.content.decode(), li.pk)
    assert 'name="certificate_number" value=""' in shown
    assert 'name="teaches_academic" checked' in shown
    assert "学科类培训人员持教师资格证" in shown
    li.refresh_from_db()
    assert (li.certificate_number, li.teaches_academic) == ("20233100001", False)
    # Adding one without a certificate: the refusal stands next to the field of the add form.
    added = officer.post(url, {"action": "trainer", "name": "周老师", "teaches_academic": "on"})
    assert added.status_code == 422
    assert re.search(
        r'id="id_certificate_number"[^>]*>(<ul class="errorlist"><li>)[^<]*学科类培训人员持教师资格证',
        added.content.decode(),
    )
    assert tw.mine.trainers.count() == 1


def test_refused_filings_reopen_with_what_was_typed(tw: TrainingWorld) -> None:
    staff = signed_in(tw, "staff")
    url = reverse("training:mine")
    course = staff.post(
        url,
        {"action": "course", "name": "初一语文冲刺", "subject": "语文", "grade_from": "7",
         "grade_to": "7", "lesson_minutes": "45", "benchmark_price": "90", "price": "130"},
    )  # fmt: skip
    html = course.content.decode()
    assert course.status_code == 422 and "培训收费上浮幅度" in html
    assert 'value="初一语文冲刺"' in html and 'value="130"' in html
    session = staff.post(
        url,
        {"action": "session", "course_id": tw.course.pk, "weekday": 5, "start": "09:10",
         "end": "10:50", "mode": "offline", "lessons": 2, "break_minutes": 10,
         "term_first": "2026-10-12", "term_last": "2026-12-25"},
    )  # fmt: skip
    html = session.content.decode()
    assert session.status_code == 422 and 'value="09:10"' in html and 'value="10:50"' in html
    assert Course.objects.count() == 1 and Session.objects.count() == 0


def _far_officer(tw: TrainingWorld) -> Any:
    from qingfu.core.roles import Role
    from qingfu.schools.actors import actor_for
    from qingfu.schools.models import RoleGrant
    from qingfu.schools.tests import factories as f

    user = f.UserFactory(username="far_officer")
    RoleGrant.objects.create(user=user, role=Role.TRAINING_OFFICER, district=tw.world.d2)
    return actor_for(user)


def test_trainers_through_the_api(tw: TrainingWorld) -> None:
    staff = Client()
    staff.force_login(tw.people.staff)
    li = services.trainer_add(
        actor=tw.actor("staff"), institution_id=tw.mine.pk, name="李明",
        certificate_number="20233100001", teaches_academic=True,
    )  # fmt: skip
    url = f"/api/v1/training/trainers/{li.pk}"
    body = {"name": "李明辉", "certificate_number": "", "teaches_academic": True}
    refused = staff.put(url, body, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"]
    ok = staff.put(url, {**body, "certificate_number": "9"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json() == {
        "id": li.pk, "name": "李明辉", "certificate_number": "9", "teaches_academic": True,
    }  # fmt: skip
    other = Client()
    other.force_login(tw.people.other_staff)
    assert other.delete(url).status_code == 404 and tw.mine.trainers.filter(pk=li.pk).exists()
    gone = staff.delete(url)
    assert gone.status_code == 200 and gone.json() == {"id": li.pk, "name": "李明辉"}
    assert staff.delete(url).status_code == 404
