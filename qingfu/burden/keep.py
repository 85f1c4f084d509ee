"""The lists a page and the API keep the same way: an office's plan for the year (督查检查考核
年度计划) and the county's lists (准入清单、证明事项清单、进校园白名单). Each is a form for
the entry to add, the service that adds it, the one that removes an entry by id, and what
the person is told; the pages (``views._keep_entries``) and the API (``api``) both go
through these, so the same input is refused with the same message in either."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms as django_forms
from django.utils.translation import gettext as _

from qingfu.burden import forms, services
from qingfu.burden.models import InspectionPlanEntry, ListEntry
from qingfu.core.actor import Actor
from qingfu.core.edge import cleaned

E = TypeVar("E")


@dataclass(frozen=True)
class Keeping(Generic[E]):
    """One kept list: ``form`` parses an entry to add; ``add_entry(actor, cleaned_data,
    **scope)`` and ``remove_entry(actor, entry_id)`` are its services; ``added`` and
    ``removed`` say what happened."""

    form: type[django_forms.Form]
    add_entry: Callable[..., E]
    remove_entry: Callable[[Actor, int], E]
    added: Callable[[E], str]
    removed: Callable[[E], str]

    def parse_and_add(self, actor: Actor, data: dict[str, Any], **scope: Any) -> E:
        """Parse ``data`` (a POST, or the API's body) with the list's form and add it."""
        return self.add_entry(actor, cleaned(self.form, data), **scope)

    def add(self, actor: Actor, data: dict[str, Any], **scope: Any) -> str:
        """Add an entry from the form's ``cleaned_data``; the message to show."""
        return self.added(self.add_entry(actor, data, **scope))

    def remove(self, actor: Actor, entry_id: int) -> str:
        return self.removed(self.remove_entry(actor, entry_id))


def _plan_add(actor: Actor, d: dict[str, Any]) -> InspectionPlanEntry:
    return services.plan_entry_add(
        actor=actor, issuer_id=d["issuer"], year=d["year"], title=d["title"], month=d["month"]
    )


def _plan_remove(actor: Actor, entry_id: int) -> InspectionPlanEntry:
    return services.plan_entry_remove(actor=actor, entry_id=entry_id)


PLAN: Keeping[InspectionPlanEntry] = Keeping(
    form=forms.PlanEntryForm,
    add_entry=_plan_add,
    remove_entry=_plan_remove,
    added=lambda e: _("“%(title)s”已列入 %(year)s 年度计划。") % {"title": e.title, "year": e.year},
    removed=lambda e: _("“%(title)s”已从计划中删除。") % {"title": e.title},
)


def _list_add(actor: Actor, d: dict[str, Any], *, district_id: int) -> ListEntry:
    return services.list_entry_add(
        actor=actor,
        district_id=district_id,
        kind=d["kind"],
        name=d["name"],
        funding_per_year=d["funding_per_year"],
    )


def _list_remove(actor: Actor, entry_id: int) -> ListEntry:
    return services.list_entry_remove(actor=actor, entry_id=entry_id)


LISTS: Keeping[ListEntry] = Keeping(
    form=forms.ListEntryForm,
    add_entry=_list_add,
    remove_entry=_list_remove,
    added=lambda e: (
        _("“%(name)s”已列入%(list)s。") % {"name": e.name, "list": e.get_kind_display()}
    ),
    removed=lambda e: (
        _("“%(name)s”已从%(list)s删除。") % {"name": e.name, "list": e.get_kind_display()}
    ),
)
