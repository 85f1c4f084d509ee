"""Forms of the 五项管理 pages: the school day, phones, reading lists and sleep reports.
They parse; the services check the policy and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from qingfu.core.edge import DateField, IdListField, IntField, TimeField


class SchoolDayForm(forms.Form):
    primary_start = TimeField(required=False)
    junior_start = TimeField(required=False)
    break_minutes = IntField(required=False)
    lesson_minutes = IntField(required=False)


class PhoneDecisionForm(forms.Form):
    application_id = IntField()
    decision = forms.CharField(required=False)
    note = forms.CharField(required=False)


class CustodyForm(forms.Form):
    class_id = IntField()
    handed_in = IdListField()
    returned = IdListField()

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # The page's checkboxes are named "in" and "out".
        if data is not None:
            data = data.copy()
            data.setlist("handed_in", data.getlist("in"))
            data.setlist("returned", data.getlist("out"))
        super().__init__(data, *args, **kwargs)


class PhoneApplicationForm(forms.Form):
    reason = forms.CharField(required=False)
    consent = forms.BooleanField(required=False)


class BookForm(forms.Form):
    list_id = IntField()
    title = forms.CharField(required=False)
    author = forms.CharField(required=False)
    publisher = forms.CharField(required=False)
    grade_from = IntField()
    grade_to = IntField()
    reason = forms.CharField(required=False)


class ListStepForm(forms.Form):
    list_id = IntField()
    note = forms.CharField(required=False)


class SleepForm(forms.Form):
    date = DateField()
    bedtime = TimeField(error_messages={"required": _lazy("请填写入睡和起床时间。")})
    wake_time = TimeField(error_messages={"required": _lazy("请填写入睡和起床时间。")})
