"""一表通's facts from the apps that hold them: a data request to a school asks for figures
(homework publicity, after-school participation, survey response rates …) that the burden
registry cannot compute itself — they live in apps beside or above it in the layers
(pyproject's ``[tool.importlinter]``). Such an app registers a provider here in its
``AppConfig.ready``; the burden registry asks every provider for the keys of
``qingfu/policy/catalogues/facts.toml`` it could not fill. Neither imports the other.

A provider takes the school, the day and the keys asked, and returns the values it holds
for some of them (a key it does not know is left out; ``None`` when it knows the key but
the records give no figure, e.g. a group too small to show). Whether the actor may see the
school is the caller's question, asked before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping

Value = int | float | str | None
SchoolFactsProvider = Callable[[int, dt.date, frozenset[str]], Mapping[str, Value]]

_providers: list[SchoolFactsProvider] = []


def register_school_facts(provider: SchoolFactsProvider) -> None:
    """Register ``provider`` once (``ready`` may run twice in tests)."""
    if provider not in _providers:
        _providers.append(provider)


def school_facts(school_id: int, today: dt.date, keys: Collection[str]) -> dict[str, Value]:
    """The values the registered providers hold for ``keys`` of the school; the first
    provider to answer a key wins."""
    wanted = frozenset(keys)
    out: dict[str, Value] = {}
    for provider in _providers:
        missing = wanted - out.keys()
        if not missing:
            break
        for key, value in provider(school_id, today, missing).items():
            if key in missing:
                out[key] = value
    return out
