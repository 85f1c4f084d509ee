"""The 校外培训治理 section: on the training officer's page and in the district's work
summary, every figure computed from the registry, the complaints and the inspections; the
DOCX opened back and its figures recounted from the records."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from docx import Document as open_docx

from qingfu.inspections import institutions
from qingfu.inspections.services import MarkInput, NoticeInput
from qingfu.training import services
from qingfu.training.models import Complaint, Institution
from qingfu.training.tests.conftest import TODAY, TrainingWorld

pytestmark = pytest.mark.django_db
DAY = dt.date.fromisoformat(TODAY)
QUERY = {"preset": "custom", "start": "2026-09-01", "end": TODAY}


@pytest.fixture(autouse=True)
def _clock(settings: Any) -> Iterator[None]:
    settings.QINGFU_CLOCK = "10:00"
    with translation.override("zh-hans"):  # the figures are read in the Chinese text
        yield


def _records(tw: TrainingWorld) -> None:
    officer = tw.actor("officer")
    services.institution_set_status(
        actor=officer, institution_id=tw.other.pk, status="rectifying", reason="消防整改",
        date=dt.date(2026, 10, 10),
    )  # fmt: skip
    made = [
        services.complaint_submit(
            district_id=tw.world.d1.pk,
            institution_id=tw.mine.pk,
            institution_name="",
            what_happened=f"第{n}件：周六上午仍在上初二数学课。",
            contact="",
            address=None,
        )
        for n in range(3)
    ]
    services.complaint_move(actor=officer, complaint_id=made[0].pk, status="rejected", note="重复")
    visit = institutions.visit_start(actor=officer, institution_id=tw.mine.pk, day=DAY, today=DAY)
    item = visit.items.get(area="trn-schedule")
    institutions.checklist_save(
        actor=officer, visit_id=visit.pk, marks={item.pk: MarkInput("fails", "周六排课")}
    )
    institutions.visit_complete(actor=officer, visit_id=visit.pk)
    institutions.notice_issue(
        actor=officer, visit_id=visit.pk, today=DAY,
        data=NoticeInput(item.pk, "停止周六排课", "周六排课", "停止", DAY + dt.timedelta(days=20)),
    )  # fmt: skip


def _docx_text(data: bytes) -> str:
    doc = open_docx(io.BytesIO(data))
    rows = ["\t".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    return "\n".join([*(p.text for p in doc.paragraphs), *rows])


def _number(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    assert found, pattern
    return int(found.group(1))


def test_the_officers_section_opens_back_with_the_records_figures(tw: TrainingWorld) -> None:
    _records(tw)
    client = Client()
    client.force_login(tw.people.officer)
    page = client.get("/reports/training/", QUERY)
    assert page.status_code == 200
    assert "在册" in page.content.decode()
    response = client.get("/reports/training/download/docx/", QUERY)
    assert response.status_code == 200
    text = _docx_text(response.content)
    d1 = Institution.objects.filter(district=tw.world.d1)
    # Recount every figure from the records, not from the report's own facts.
    assert _number(r"在册(\d+)家", text) == d1.filter(status="registered").count()
    assert (
        _number(r"学科类(\d+)家", text)
        == d1.filter(status="registered", category="academic").count()
    )
    assert _number(r"整改中(\d+)家", text) == d1.filter(status="rectifying").count() == 1
    complaints = Complaint.objects.filter(district=tw.world.d1)
    assert _number(r"受理投诉举报(\d+)件", text) == complaints.count() == 3
    assert (
        _number(r"办结(\d+)件", text)
        == complaints.filter(status__in=("closed", "rejected")).count()
    )
    assert _number(r"正在办理(\d+)件", text) == 2
    assert _number(r"检查(\d+)次", text) == 1
    assert _number(r"下发整改通知(\d+)份", text) == 1
    assert "状态变更：转为整改中1家" in text
    # The table's total row adds up to the registry.
    total = next(line for line in text.splitlines() if line.startswith("合计"))
    assert total.split("\t")[-1] == str(d1.count())
    pdf = client.get("/reports/training/download/pdf/", QUERY)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_district_summary_carries_the_section(tw: TrainingWorld) -> None:
    _records(tw)
    client = tw.world.client("officer_d1")
    query = {**QUERY, "scope": f"district-{tw.world.d1.pk}"}
    response = client.get("/reports/download/docx/", query)
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "加强校外培训治理" in text
    assert _number(r"受理投诉举报(\d+)件", text) == 3
    # The education bureau reads the training officer's page too; a school's admin does not.
    assert client.get("/reports/training/", QUERY).status_code == 200
    assert tw.world.client("admin_a").get("/reports/training/", QUERY).status_code == 404
    staff = Client()
    staff.force_login(tw.people.staff)
    assert staff.get("/reports/training/download/docx/", QUERY).status_code == 404
