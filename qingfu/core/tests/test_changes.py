"""The class-day change hook: duties announce, oversight listens (registered at start)."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.core import changes

DAY = dt.date(2026, 11, 23)


@pytest.fixture
def listeners(monkeypatch: pytest.MonkeyPatch) -> list[changes.ClassDayListener]:
    registered: list[changes.ClassDayListener] = []
    monkeypatch.setattr(changes, "_listeners", registered)
    return registered


def test_oversight_listens_from_the_start() -> None:
    from qingfu.oversight.services import rollups_refresh_on_commit

    assert [listener.changed for listener in changes._listeners] == [rollups_refresh_on_commit]


def test_every_listener_hears_each_announcement_once(listeners: list) -> None:  # type: ignore[type-arg]
    heard: list[tuple[str, int, set[tuple[int, dt.date]]]] = []
    for name in ("one", "two"):
        changes.listen_to_class_days(
            changes.ClassDayListener(
                changed=lambda *, school_id, keys, name=name: heard.append((name, school_id, keys))
            )
        )
    changes.announce_class_days(school_id=7, keys=[(1, DAY), (1, DAY), (2, DAY)])
    changes.announce_class_days(school_id=7, keys=[])  # nothing changed: nobody is called
    assert heard == [("one", 7, {(1, DAY), (2, DAY)}), ("two", 7, {(1, DAY), (2, DAY)})]
    # With two listeners no single statement can stand for the announcement.
    assert changes.class_days_mark_statement(school_id=7, keys=[(1, DAY)]) is None


def test_a_single_listener_may_offer_its_statement(listeners: list) -> None:  # type: ignore[type-arg]
    marked: list[tuple[int, set[tuple[int, dt.date]]]] = []
    listener = changes.ClassDayListener(
        changed=lambda **_: None,
        mark_statement=lambda *, school_id, keys: ("SELECT %s", [len(keys)]),
        marked=lambda *, school_id, keys: marked.append((school_id, keys)),
    )
    changes.listen_to_class_days(listener)
    changes.listen_to_class_days(listener)  # a second ready() registers nothing more
    assert changes.class_days_mark_statement(school_id=1, keys=[(1, DAY), (2, DAY)]) == (
        "SELECT %s",
        [2],
    )
    # The writer ran the statement: the listener sends what follows (on commit).
    changes.class_days_marked(school_id=1, keys=[(1, DAY), (2, DAY)])
    assert marked == [(1, {(1, DAY), (2, DAY)})]
