"""Forms of the survey pages: creating a survey and answering one. The questionnaire (pure,
in questionnaire.py) checks the answers; the form only gathers them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _lazy


class SurveyForm(forms.Form):
    """A survey of one school or one district (``scope`` is ``school:<id>`` or
    ``district:<id>``) for the chosen audiences."""

    scope = forms.RegexField(
        regex=r"^(school|district):\d+$",
        error_messages={
            "required": _lazy("请选择调查范围。"),
            "invalid": _lazy("请选择调查范围。"),
        },
    )
    title = forms.CharField(required=False)
    audiences = forms.MultipleChoiceField(required=False)

    def __init__(self, *args: Any, audiences: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audiences"].choices = audiences  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, _sep, raw_id = str(data.get("scope", "")).partition(":")
        data["school_id"] = int(raw_id) if kind == "school" else None
        data["district_id"] = int(raw_id) if kind == "district" else None
        return data


class AnswerForm(forms.Form):
    """Every posted field but the CSRF token, as the questionnaire's answers: the
    questionnaire names a stray or a missing one."""

    def clean(self) -> dict[str, Any]:
        return {
            "answers": {
                k: str(self.data.get(k, "")) for k in self.data if k != "csrfmiddlewaretoken"
            }
        }
