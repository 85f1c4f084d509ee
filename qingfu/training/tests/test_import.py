"""The registry import: the sample files register every institution (XLSX, UTF-8 and GBK
CSV), the same file again changes nothing, a file with bad rows names each by row, column
and message and writes nothing, and an oversized file is refused before it is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qingfu.core import sheets
from qingfu.core.errors import ValidationFailed
from qingfu.core.models import AuditEntry
from qingfu.schools.models import Unit
from qingfu.training import registry_import as imports
from qingfu.training.models import Institution, StatusChange
from qingfu.training.tests.conftest import TrainingWorld

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def counts() -> tuple[int, int, int]:
    return (Institution.objects.count(), Unit.objects.count(), StatusChange.objects.count())


def run(tw: TrainingWorld, name: str, data: bytes | None = None) -> imports.ImportResult:
    return imports.registry_import(
        actor=tw.actor("officer"),
        district_id=tw.world.d1.pk,
        filename=name,
        data=sample(name) if data is None else data,
    )


@pytest.mark.parametrize(
    "name",
    [
        "training_registry_sample.xlsx",
        "training_registry_sample.csv",
        "training_registry_sample_gbk.csv",
    ],
)
def test_a_good_file_registers_every_row_and_again_changes_nothing(
    tw: TrainingWorld, name: str
) -> None:
    before = Institution.objects.filter(district=tw.world.d1).count()
    result = run(tw, name)
    assert (result.rows, result.created, result.updated) == (12, 12, 0)
    made = Institution.objects.filter(district=tw.world.d1)
    assert made.count() == before + 12
    swim = made.get(unit__name="青禾小飞鱼游泳俱乐部")
    assert (swim.category, swim.subcategory, swim.is_nonprofit) == ("non-academic", "sports", False)
    assert swim.status == Institution.Status.REGISTERED and swim.status_changes.count() == 1
    assert str(swim.licence_from) == "2024-05-01"
    again = run(tw, name)
    assert (again.rows, again.created, again.updated) == (12, 0, 0)
    assert Institution.objects.filter(district=tw.world.d1).count() == before + 12
    assert AuditEntry.objects.filter(object_type="training_registry").count() == 2


def test_a_changed_row_updates_its_entry_and_leaves_its_status(tw: TrainingWorld) -> None:
    run(tw, "training_registry_sample.csv")
    text = sample("training_registry_sample.csv").decode("utf-8-sig")
    text = text.replace("青禾区学府路 12 号", "青禾区学府路 99 号")
    result = run(tw, "registry.csv", text.encode("utf-8"))
    assert (result.created, result.updated) == (0, 1)
    entry = Institution.objects.get(unit__name="青禾明德学科培训学校")
    assert entry.address == "青禾区学府路 99 号" and entry.status_changes.count() == 1


def test_bad_rows_are_each_named_and_nothing_changes(tw: TrainingWorld) -> None:
    before = counts()
    with pytest.raises(imports.RegistryInvalid) as refused:
        run(tw, "training_registry_sample_bad.xlsx")
    found = [(e.row, e.column) for e in refused.value.row_errors]
    assert found == [(4, "统一社会信用代码"), (7, "类别"), (9, "场所面积")]
    assert "18 位" in refused.value.row_errors[0].message
    assert "第 7 行，类别" in str(refused.value.row_errors[1])
    assert counts() == before


def test_duplicates_in_the_file_and_codes_of_other_districts_are_refused(
    tw: TrainingWorld,
) -> None:
    text = sample("training_registry_sample.csv").decode("utf-8-sig")
    lines = text.splitlines()
    far_code = tw.far.credit_code
    second = lines[2].split(",")
    third = lines[3].split(",")
    third[1] = f'"{far_code}"'
    lines += [",".join(second), ",".join(third)]
    lines[3] = ",".join(third)
    before = counts()
    with pytest.raises(imports.RegistryInvalid) as refused:
        run(tw, "registry.csv", "\r\n".join(lines).encode("utf-8"))
    messages = {(e.row, e.message) for e in refused.value.row_errors}
    assert (14, "与第 3 行的统一社会信用代码重复。") in messages
    assert (4, "该统一社会信用代码已在其他区县登记。") in messages
    assert counts() == before


def test_a_subcategory_that_contradicts_the_category_is_the_rows_error(
    tw: TrainingWorld,
) -> None:
    text = sample("training_registry_sample.csv").decode("utf-8-sig")
    text = text.replace(
        '"学科类","义务教育阶段学科类","是","青禾区学府路 12 号"',
        '"学科类","体育","是","青禾区学府路 12 号"',
    )
    with pytest.raises(imports.RegistryInvalid) as refused:
        run(tw, "registry.csv", text.encode("utf-8"))
    assert [(e.row, e.column, e.message) for e in refused.value.row_errors] == [
        (2, "细类", "细类与类别不符。")
    ]


def test_an_oversized_file_is_refused_before_it_is_read(
    tw: TrainingWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts()
    with pytest.raises(ValidationFailed) as big:
        run(tw, "big.csv", b"x" * (imports.MAX_BYTES + 1))
    assert "超过上限 5 MB" in big.value.errors["file"][0]
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    with pytest.raises(ValidationFailed) as long:
        run(tw, "training_registry_sample.xlsx")
    assert "5 行的上限" in long.value.errors["file"][0]
    book = sheets.new_workbook()
    for _n in range(3):
        sheets.append_row(book.active, ["a"] * 50)
    with pytest.raises(ValidationFailed) as wide:
        run(tw, "wide.xlsx", sheets.workbook_bytes(book))
    assert "50 列" in wide.value.errors["file"][0]
    with pytest.raises(ValidationFailed) as header:
        run(tw, "x.csv", "名称,地址\r\n甲,乙\r\n".encode())
    assert "表头缺少以下列" in header.value.errors["file"][0]
    assert counts() == before


def test_the_page_imports_and_shows_each_bad_row(tw: TrainingWorld) -> None:
    client = Client()
    client.force_login(tw.people.officer)
    url = reverse("training:import")
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("bad.xlsx", sample("training_registry_sample_bad.xlsx"))
    page = client.post(url, {"file": bad})
    assert page.status_code == 422
    html = page.content.decode()
    assert "第 4 行" in html and "第 9 行" in html and "未导入任何数据" in html
    good = SimpleUploadedFile("good.csv", sample("training_registry_sample_gbk.csv"))
    page = client.post(url, {"file": good})
    assert page.status_code == 200 and "新登记 12 家" in page.content.decode()
    assert client.post(url, {}).status_code == 422


def test_the_api_imports_and_answers_row_errors(tw: TrainingWorld) -> None:
    client = Client()
    client.force_login(tw.people.officer)
    url = f"/api/v1/training/districts/{tw.world.d1.pk}/registry"
    bad = client.post(
        url, {"file": SimpleUploadedFile("bad.xlsx", sample("training_registry_sample_bad.xlsx"))}
    )
    assert bad.status_code == 422
    body = bad.json()
    assert body["code"] == "registry_invalid"
    assert [e["row"] for e in body["row_errors"]] == [4, 7, 9]
    good = client.post(
        url, {"file": SimpleUploadedFile("r.xlsx", sample("training_registry_sample.xlsx"))}
    )
    assert good.status_code == 200 and good.json() == {"rows": 12, "created": 12, "updated": 0}
    # Another district's registry is not the officer's: the uniform 404, nothing written.
    far = client.post(
        f"/api/v1/training/districts/{tw.world.d2.pk}/registry",
        {"file": SimpleUploadedFile("r.csv", sample("training_registry_sample.csv"))},
    )
    assert far.status_code == 404
    assert Institution.objects.filter(district=tw.world.d2).count() == 1
