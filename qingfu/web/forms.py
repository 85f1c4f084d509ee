"""Forms of the web edge: they parse input; services decide and save."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("名册文件（.xlsx 或 .csv）"),
        error_messages={"required": _("请选择要导入的名册文件。")},
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
