"""Forms of the web edge: they parse input; services decide and save."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qingfu.core.edge import DateField, IntField


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("名册文件（.xlsx 或 .csv）"),
        error_messages={"required": _("请选择要导入的名册文件。")},
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class AuditFilterForm(forms.Form):
    """The school admin's search of the audit log (a GET: every field optional)."""

    person = forms.CharField(label=_("操作人（用户名）"), required=False, max_length=150)
    student = forms.CharField(label=_("学生（姓名或全国学籍号）"), required=False, max_length=50)
    start = DateField(label=_("起始日期"), required=False)
    end = DateField(label=_("截止日期"), required=False)


class PageForm(forms.Form):
    """A list's page number (a GET); anything else is the first page."""

    page = forms.IntegerField(required=False, min_value=1)


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(label=_("理由（可不填）"), required=False, max_length=200)


class ErasureDecisionForm(forms.Form):
    request = IntField()
    note = forms.CharField(required=False, max_length=200)
