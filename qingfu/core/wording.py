"""Text kept as what it says, not as the words it was first said in.

Some text is computed once and read later by others who chose different languages: an
inspection's "what the records show" lines (computed when the visit starts, read for weeks
by the county's inspector in Chinese and a reader in English), an alert written by the
nightly check for a head teacher. So what computes it builds a small tree of messages and
their figures, stored as JSON, and ``render`` writes it in the reader's language when it
is read.

A node is one of:

- a string: language-neutral text (a percentage, "16:00–17:30", a number), or a line
  stored before evidence was kept this way (its words are all there is);
- ``{"m": msgid, "a": {name: node}}``: a message, translated and formatted with its
  arguments (each rendered first);
- ``{"m": singular, "p": plural, "n": count}``: a number with its noun ("3 个班",
  "3 classes", "1 class"), with ``"c": context`` where one Chinese form needs different
  English nouns ("3 份" lists, plans or requests);
- ``{"period": [start, end]}``: a period ("10月", "1 September to 22 November");
- ``{"check": [rule_id, message_zh, message_en]}``: a policy verdict's message and its
  rule's title;
- ``{"rule": rule_id}``: a rule as people know it, its title and the document it rests on
  (ids are internal codes, never shown);
- ``{"j": [node, …]}``: clauses joined with "；" and closed with "。" (in English "; ", ".");
- ``{"list": [node, …], "sep": "；"}``: items joined with the separator (translated), open;
- ``{KIND: value}`` for a kind the reader passes to ``render`` (``kinds``): what only an app
  can write out, such as a class's name from its grade and number (``homework.Alert``).

Pure: no Django. ``phrase``, ``counted`` and ``counted_as`` are makemessages keywords
(``qingfu/core/management/commands/makemessages.py``), so the messages reach the
catalogue from where they are written.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from qingfu.core.text import (
    _,
    gettext_noop,
    is_english,
    language,
    long_date,
    month_day,
    month_name,
    ngettext,
    npgettext,
)
from qingfu.policy.profile import rule_citation, rule_title

Node = Any  # str | dict[str, Any]: JSON as stored
Kinds = Mapping[str, Callable[[Any], str]]


def phrase(message: str, **args: Node) -> Node:
    """A message (marked for the catalogue here) with its arguments, kept to render later."""
    return {"m": message, "a": args} if args else {"m": message}


def counted(singular: str, plural: str, n: int) -> Node:
    """A number with its noun: ``counted("{n} 个班", "{n} 个班", 3)``."""
    return {"m": singular, "p": plural, "n": n}


def counted_as(context: str, singular: str, plural: str, n: int) -> Node:
    """A number with its noun where the same Chinese counts different things in English:
    ``counted_as("书目", "{n} 份", "{n} 份", 2)`` is "2 lists"."""
    return {"c": context, "m": singular, "p": plural, "n": n}


def period(start: dt.date, end: dt.date) -> Node:
    return {"period": [start.isoformat(), end.isoformat()]}


def check(rule_id: str, message: str, message_en: str) -> Node:
    return {"check": [rule_id, message, message_en]}


def rule(rule_id: str) -> Node:
    return {"rule": rule_id}


# Messages of evidence stored before rules were named by title, and what they read as now:
# the old message with the rule's id as a plain string argument, the new one with the
# argument of that name made a rule node.
_RENAMED: dict[str, tuple[str, str]] = {
    gettext_noop("{filings}因 {rule} 不予备案{detail}"): (
        gettext_noop("{filings}因不符合{rule}不予备案{detail}"),
        "rule",
    ),
}


def joined(parts: Sequence[Node]) -> Node:
    return {"j": list(parts)}


def clauses(parts: Sequence[Node], separator: str = "；") -> Node:
    return {"list": list(parts), "sep": separator}


def period_label(start: dt.date, end: dt.date) -> str:
    """ "10月" for a whole calendar month, else "9月1日至11月22日" (with years if they differ);
    "October", "1 September to 22 November" in English."""
    whole_month = (
        start.year == end.year
        and start.month == end.month
        and start.day == 1
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )
    if whole_month:
        return month_name(start)
    if start.year != end.year:
        return _("{start}至{end}").format(start=long_date(start), end=long_date(end))
    if start == end:
        return month_day(start)
    return _("{start}至{end}").format(start=month_day(start), end=month_day(end))


def render(node: Node, kinds: Kinds | None = None) -> str:
    """The node in the active language; ``kinds`` writes out the nodes only the caller
    knows (``{"class": [3, 1]}``), each given the node's value."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    if isinstance(node, int | float):
        return str(node)
    if kinds:
        for kind, write in kinds.items():
            if kind in node:
                return write(node[kind])
    if "j" in node:
        return _("；").join(render(part, kinds) for part in node["j"]) + _("。")
    if "list" in node:
        return _(node.get("sep", "；")).join(render(part, kinds) for part in node["list"])
    if "period" in node:
        start, end = (dt.date.fromisoformat(d) for d in node["period"])
        return period_label(start, end)
    if "check" in node:
        rule_id, message, message_en = node["check"]
        shown = message_en if is_english() and message_en else message
        return _("{message}（{rule}）").format(message=shown, rule=rule_title(rule_id, language()))
    if "rule" in node:
        rule_id = str(node["rule"])
        title, document = rule_title(rule_id, language()), rule_citation(rule_id)
        if not document:
            return _("“{title}”").format(title=title)
        return _("“{title}”（{document}）").format(title=title, document=document)
    if node.get("m") in _RENAMED:
        message, name = _RENAMED[node["m"]]
        args = dict(node.get("a", {}))
        if isinstance(args.get(name), str):
            args[name] = rule(args[name])
        node = {**node, "m": message, "a": args}
    if "p" in node:
        n = int(node["n"])
        if "c" in node:
            return npgettext(node["c"], node["m"], node["p"], n).format(n=n)
        return ngettext(node["m"], node["p"], n).format(n=n)
    args = {name: render(value, kinds) for name, value in node.get("a", {}).items()}
    text = _(node["m"])
    return text.format(**args) if args else text
