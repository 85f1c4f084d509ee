"""Forms of the after-school pages: they parse a POST into the values a service takes; the
services decide whether the program, the club or the seat allows it."""

from __future__ import annotations

from typing import Any

from django import forms

from qingfu.afterschool import services
from qingfu.afterschool.models import Club
from qingfu.core.edge import DateField, IdListField, IntField, TimeField, WeekdaysField, prefixed

SEGMENT_SLOTS = (1, 2, 3)


class ProgramForm(forms.Form):
    weekdays = WeekdaysField()
    start = TimeField()
    end = TimeField()
    max_choices = IntField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for k in SEGMENT_SLOTS:
            self.fields[f"seg{k}_start"] = TimeField(required=False)
            self.fields[f"seg{k}_end"] = TimeField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        segments = []
        for k in SEGMENT_SLOTS:
            start, end = data.get(f"seg{k}_start"), data.get(f"seg{k}_end")
            if start and end:
                segments.append((start, end))
            elif start or end:
                self.add_error(f"seg{k}_end" if start else f"seg{k}_start", _required())
        data["segments"] = tuple(segments)
        return data

    def program_input(self) -> services.ProgramInput:
        data = self.cleaned_data
        return services.ProgramInput(
            weekdays=data["weekdays"],
            start=data["start"],
            end=data["end"],
            segments=data["segments"],
            max_choices=data["max_choices"] or 3,
        )


def _required() -> str:
    return str(forms.Field.default_error_messages["required"])


class ClubForm(forms.Form):
    club_id = IntField(required=False)
    name = forms.CharField(required=False)
    category = forms.CharField(required=False)
    segment_id = IntField(required=False)
    weekdays = WeekdaysField()
    grade_from = IntField(required=False)
    grade_to = IntField(required=False)
    capacity = IntField(required=False)
    room = forms.CharField(required=False)
    level = forms.CharField(required=False)
    instructor_kind = forms.CharField(required=False)
    instructor_teacher_id = IntField(required=False)
    instructor_name = forms.CharField(required=False)

    def club_input(self) -> services.ClubInput:
        data = self.cleaned_data
        return services.ClubInput(
            name=data["name"],
            category=data["category"],
            segment_id=data["segment_id"] or 0,
            weekdays=data["weekdays"],
            grade_from=data["grade_from"] or 0,
            grade_to=data["grade_to"] or 0,
            capacity=data["capacity"] or 0,
            room=data["room"],
            level=data["level"] or Club.Level.SCHOOL,
            instructor_kind=data["instructor_kind"] or Club.Instructor.TEACHER,
            instructor_teacher_id=data["instructor_teacher_id"],
            instructor_name=data["instructor_name"],
        )


class CapacityForm(forms.Form):
    club_id = IntField()
    capacity = IntField(required=False)


class PhaseForm(forms.Form):
    phase = forms.CharField(required=False)


class RunForm(forms.Form):
    mechanism = forms.CharField(required=False)
    seed = forms.CharField(required=False)


class RunChoiceForm(forms.Form):
    run_id = IntField()


class CorrectionDecisionForm(forms.Form):
    correction_id = IntField()
    decision = forms.CharField(required=False)
    note = forms.CharField(required=False)


class OpenRoundForm(forms.Form):
    batch_minutes = IntField(required=False)


# --- a family's page --------------------------------------------------------------------


class SurveyAnswerForm(forms.Form):
    participate = forms.CharField(required=False)
    weekdays = WeekdaysField()
    last_segment = IntField(required=False)
    interests = forms.MultipleChoiceField(required=False, choices=Club.Category.choices)


class SignupForm(forms.Form):
    weekdays = WeekdaysField()
    last_segment = IntField(required=False)
    effective_from = DateField()


class WithdrawForm(forms.Form):
    effective_from = DateField()


class PreferencesForm(forms.Form):
    segment_id = IntField()
    club = IdListField()


class SeatForm(forms.Form):
    club_id = IntField()


class LeaveForm(forms.Form):
    seat_id = IntField()


# --- the duty teacher ---------------------------------------------------------------------


class AttendanceForm(forms.Form):
    """One mark per student on the list, posted as ``s-<student id>``."""

    session_id = IntField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        marks: dict[int, str] = {}
        for key, value in prefixed(self.data, "s-").items():
            if key.isdigit():
                marks[int(key)] = str(value)
        data["marks"] = marks
        return data


class LateAttendanceForm(AttendanceForm):
    """Attendance taken after the session ended: the marks (``s-<student id>``) and, when it
    changes a mark already taken (the school's admin), the reason."""

    reason = forms.CharField(required=False, max_length=200)


class EarlyPickupForm(forms.Form):
    session_id = IntField()
    student_id = IntField()
    picked_up_by = forms.CharField(required=False)


class CorrectionRequestForm(forms.Form):
    session_id = IntField()
    student_id = IntField()
    status = forms.CharField(required=False)
    reason = forms.CharField(required=False)
