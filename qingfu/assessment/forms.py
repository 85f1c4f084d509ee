"""Forms of the exam pages: an exam to add, the band scheme, a class's results, the ability
marks of one homework. They parse; the services check the policy and save."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from qingfu.assessment import services
from qingfu.assessment.bands import Band
from qingfu.core.edge import DateField, IntField

BAND_ROWS = 5


class ExamForm(forms.Form):
    grade_id = IntField()
    subject_id = IntField()
    kind = forms.CharField(required=False)
    date = DateField()
    duration_minutes = IntField()
    is_paper = forms.BooleanField(required=False)
    is_regional = forms.BooleanField(required=False)
    full_marks = IntField()

    def exam_input(self, semester_id: int) -> services.ExamInput:
        data = self.cleaned_data
        return services.ExamInput(
            semester_id=semester_id,
            grade_id=data["grade_id"],
            subject_id=data["subject_id"],
            kind=data["kind"],
            date=data["date"],
            duration_minutes=data["duration_minutes"],
            is_paper=data["is_paper"],
            is_regional=data["is_regional"],
            full_marks=data["full_marks"],
        )


class ExamChoiceForm(forms.Form):
    exam_id = IntField()


class GradeChoiceForm(forms.Form):
    grade_id = IntField()


class BandSchemeForm(forms.Form):
    """Up to five named score ranges, ``band<k>_name/_low/_high``; a row without a name is
    unused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for k in range(BAND_ROWS):
            self.fields[f"band{k}_name"] = forms.CharField(required=False)
            self.fields[f"band{k}_low"] = IntField(required=False)
            self.fields[f"band{k}_high"] = IntField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bands = []
        for k in range(BAND_ROWS):
            name = data.get(f"band{k}_name")
            if not name:
                continue
            low, high = data.get(f"band{k}_low"), data.get(f"band{k}_high")
            for field, value in ((f"band{k}_low", low), (f"band{k}_high", high)):
                if value is None and field not in self.errors:
                    self.add_error(field, _("请填写整数。"))
            if low is not None and high is not None:
                bands.append(Band(name, low, high))
        data["bands"] = bands
        return data


class ResultsForm(forms.Form):
    """One score (``score-<id>``) or band (``band-<id>``) per student of the class; a score
    wins over a band, and a student with neither is left as they were."""

    def __init__(self, *args: Any, students: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.students = students

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scores: dict[int, float] = {}
        bands: dict[int, str] = {}
        for student in self.students:
            raw = str(self.data.get(f"score-{student.pk}", "")).strip()
            band = str(self.data.get(f"band-{student.pk}", "")).strip()
            if raw:
                try:
                    scores[student.pk] = float(raw)
                except ValueError:
                    self.errors[f"score.{student.pk}"] = self.error_class(
                        [_("%(name)s：分数应为数字。") % {"name": student.name}]
                    )
            elif band:
                bands[student.pk] = band
        data["scores"], data["bands"] = scores, bands
        return data


class MarksForm(forms.Form):
    """A mark (``m-<student>-<item>-<element>``) and, for "not mastered", a reason
    (``r-…``) per student, item and ability element on the sheet."""

    def __init__(self, *args: Any, keys: Iterable[tuple[int, int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = list(keys)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given: dict[tuple[int, int, str], str] = {}
        reasons: dict[tuple[int, int, str], str] = {}
        for key in self.keys:
            name = "-".join(str(part) for part in key)
            if mark := self.data.get(f"m-{name}"):
                given[key] = str(mark)
            if reason := self.data.get(f"r-{name}"):
                reasons[key] = str(reason)
        data["marks"], data["reasons"] = given, reasons
        return data


class NotebookRedoForm(forms.Form):
    entry_id = IntField()
