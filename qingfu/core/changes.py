"""The class-day change hook: a duty announces that class-days changed; the layer above
that derives from them (oversight's rollups, and what follows from them) listens.

The duties (homework, after-school, …) sit below oversight and must not import it, yet
every publish, time log, exception and attendance mark changes what the dashboards show.
So a duty calls :func:`announce_class_days` inside its own transaction, and oversight
registers a listener when the app loads. The listener writes its durable mark (the
outbox) in that same transaction, or refreshes on commit; a rollback takes both back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

ClassDayKey = tuple[int, dt.date]  # (class id, date)
Statement = tuple[str, list[Any]]


@dataclass(frozen=True)
class ClassDayListener:
    """``changed`` is called in the writer's transaction with the school and the changed
    class-days. ``mark_statement``, when given, returns the SQL that does the same work (the
    outbox mark) for a writer that folds it into its own statement, or None when it cannot.
    The statement returns one row per class-day, with the columns ``class_id``, ``date``
    and ``send`` (whether someone must be told now: :data:`MARKED_TO_SEND` selects them
    from it); ``marked`` is then called with those class-days (to send the work on
    commit)."""

    changed: Callable[..., None]
    mark_statement: Callable[..., Statement | None] | None = None
    marked: Callable[..., None] | None = None


_listeners: list[ClassDayListener] = []

# The class-days a mark statement run as the CTE ``mark`` says to send (its RETURNING
# columns), for a writer that folds the statement into its own.
MARKED_TO_SEND = "SELECT class_id, date FROM mark WHERE send"


def listen_to_class_days(listener: ClassDayListener) -> None:
    """Register a listener (once: an app's ``ready`` may run twice in tests)."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce_class_days(*, school_id: int, keys: Iterable[ClassDayKey]) -> None:
    """These class-days of this school changed; every listener hears it."""
    wanted = set(keys)
    if not wanted:
        return
    for listener in _listeners:
        listener.changed(school_id=school_id, keys=wanted)


def class_days_mark_statement(*, school_id: int, keys: Iterable[ClassDayKey]) -> Statement | None:
    """The one statement that announces these class-days, for a writer on the hot path that
    runs it inside its own SQL; None when the listeners need :func:`announce_class_days`
    (more than one listener, or one that has no such statement now)."""
    if len(_listeners) != 1 or _listeners[0].mark_statement is None:
        return None
    return _listeners[0].mark_statement(school_id=school_id, keys=set(keys))


def class_days_marked(*, school_id: int, keys: Iterable[ClassDayKey]) -> None:
    """The writer ran :func:`class_days_mark_statement`'s statement, and these class-days
    came back with ``send``: the listener sends what follows (on commit). Call it right
    after the statement, in the same transaction."""
    if len(_listeners) == 1 and _listeners[0].marked is not None:
        _listeners[0].marked(school_id=school_id, keys=set(keys))
