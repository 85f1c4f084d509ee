"""A filing's verdicts as stored (JSON) and as read: a refused rule is named to people by
its title and the document it rests on, in the reader's language, never by its id (an
internal code: "trn.no-holiday" means nothing to a clerk or a parent)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qingfu.policy.profile import rule_citation, rule_title
from qingfu.policy.verdicts import Verdict


def _plain(value: object) -> object:
    return value if value is None or isinstance(value, int | float | str | bool) else str(value)


def verdict_row(verdict: Verdict) -> dict[str, Any]:
    """A verdict as stored with a filing (JSON)."""
    return {
        "status": verdict.status.value,
        "rule_id": verdict.rule_id,
        "title_zh": verdict.title_zh,
        "title_en": verdict.title_en,
        "measured": _plain(verdict.measured),
        "limit": _plain(verdict.limit),
        "message_zh": verdict.message_zh,
        "message_en": verdict.message_en,
        "citation": verdict.citation,
    }


def _english() -> bool:
    return (get_language() or "").startswith("en")


def row_title(row: dict[str, Any]) -> str:
    """The refused rule's short name in the reader's language: the one stored with the row
    (a district's own rule has its profile's), else the national profile's (rows stored
    before titles were)."""
    stored = (row.get("title_en") if _english() else row.get("title_zh")) or row.get("title_zh")
    return str(stored) if stored else rule_title(str(row.get("rule_id", "")), get_language() or "")


def refusal_text(row: dict[str, Any]) -> str:
    """One refused rule as a sentence: its message, then the rule's title and document."""
    message = (row.get("message_en") if _english() else None) or row.get("message_zh", "")
    citation = row.get("citation") or rule_citation(str(row.get("rule_id", "")))
    if not citation:
        return _("%(message)s（%(rule)s）") % {"message": message, "rule": row_title(row)}
    return _("%(message)s（%(rule)s，%(citation)s）") % {
        "message": message,
        "rule": row_title(row),
        "citation": citation,
    }
