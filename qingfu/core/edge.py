"""The web edge's one way in and one way out.

In: a POST is parsed by a Django form (:func:`cleaned`), never read field by field in a
view, so bad input gets the same field-named message on every page and the API's Ninja
schemas and the pages reject the same things. Out: a POST that worked is answered with a
flash message and a redirect (post/redirect/get; an HTMX request gets ``HX-Redirect``), and
one that failed, in its form or in the service, with the field errors and 422
(:func:`answer_post`, :func:`answer_action`). Views then only say what to run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qingfu.core.errors import ValidationFailed
from qingfu.core.htmx import is_htmx

Errors = dict[str, list[str]]
F = TypeVar("F", bound=forms.Form)


def form_errors(form: forms.Form) -> Errors:
    """A bound form's errors as the services' ``ValidationFailed`` names them."""
    return {name: [str(m) for m in problems] for name, problems in form.errors.items()}


def valid(form: F) -> F:
    """``form`` when its input is valid; otherwise ``ValidationFailed`` with its errors."""
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form


def cleaned(form_class: type[forms.Form], data: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Bind ``data`` to ``form_class`` and return its cleaned values, or raise
    ``ValidationFailed`` naming each bad field."""
    return valid(form_class(data, *args, **kwargs)).cleaned_data


@dataclass
class Answer:
    """What a POST came to: a response to send (success), or the errors to show again."""

    response: HttpResponse | None = None
    errors: Errors = field(default_factory=dict)

    @property
    def status(self) -> int:
        return 422 if self.errors else 200


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that HTMX follows as a page load instead of swapping the page into a
    fragment's target."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def answer_post(
    request: HttpRequest,
    run: Callable[[], str | None],
    *,
    to: str | Callable[[], str] | None = None,
    level: int = messages.SUCCESS,
) -> Answer:
    """Run ``run`` (which parses with a form and calls a service); on success flash the
    message it returns and redirect to ``to`` (default: the same page; a callable when the
    address depends on what ``run`` made); on ``ValidationFailed`` return its errors for
    the page to show with status 422."""
    try:
        message = run()
    except ValidationFailed as exc:
        return Answer(errors=exc.errors)
    if message:
        messages.add_message(request, level, message)
    url = to() if callable(to) else to
    return Answer(response=redirect_to(request, url or request.get_full_path()))


def flash_errors(request: HttpRequest, errors: Errors) -> None:
    """For a page with no form to show errors next to (a button in a list): above it."""
    for problems in errors.values():
        for problem in problems:
            messages.error(request, problem)


class ActionForm(forms.Form):
    """A page that offers several writes names the one meant in ``action``."""

    action = forms.CharField(required=False)


def posted_action(request: HttpRequest, *, default: str = "") -> str:
    return cleaned(ActionForm, request.POST)["action"] or default


def answer_action(
    request: HttpRequest,
    actions: Mapping[str, Callable[[], str | None]],
    *,
    default: str = "",
    to: str | Callable[[], str] | None = None,
) -> Answer:
    """:func:`answer_post` for the action the POST names; an unknown one is an error."""
    run = actions.get(posted_action(request, default=default))
    if run is None:
        return Answer(errors={"__all__": [_("未知的操作。")]})
    return answer_post(request, run, to=to)


# --- fields the pages share ----------------------------------------------------------------


class IdListField(forms.TypedMultipleChoiceField):
    """Several ids (checkboxes, or a ranked list), in the order posted, each once: any
    positive integers; whether the actor may use each is the service's question."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(coerce=int, **kwargs)

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()

    def clean(self, value: Any) -> list[int]:
        return list(dict.fromkeys(super().clean(value)))


class WeekdaysField(IdListField):
    """School weekdays as checkboxes (0 = Monday … 4 = Friday)."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit() and int(value) < 7

    def clean(self, value: Any) -> tuple[int, ...]:  # type: ignore[override]
        return tuple(sorted(super().clean(value)))


def prefixed(data: Any, prefix: str) -> dict[str, str]:
    """The posted values whose names are ``<prefix><key>``, by ``key`` — for forms whose
    fields are one per student or subject on the page."""
    return {k[len(prefix) :]: v for k, v in data.items() if k.startswith(prefix)}


class TimeField(forms.TimeField):
    default_error_messages = {"invalid": _lazy("时间格式应为 15:40。")}


class DateField(forms.DateField):
    default_error_messages = {"invalid": _lazy("日期格式应为 2026-09-07。")}


class IntField(forms.IntegerField):
    default_error_messages = {"invalid": _lazy("请填写整数。")}
