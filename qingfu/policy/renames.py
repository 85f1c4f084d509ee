"""Rule ids that were renamed, for the data migrations that rewrite stored ids.

Rule ids are stored outside the profile: in a district's or school's overrides
(``PolicyOverride.thresholds``), in the rules copied onto an inspection's checklist, in a
rectification notice and in a homework exception. When an id changes, a data migration in
each of those apps maps the stored ids with :func:`rule_id_renamed`, forwards and back.

The after-school rules were ``asvc.*``, an abbreviation nobody reading a notice would
know; they are ``afterschool.*`` (the checklist's area code went the same way).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# (old prefix, new prefix), each matching the whole first segment of an id.
RENAMED_PREFIXES: tuple[tuple[str, str], ...] = (("asvc", "afterschool"),)


def rule_id_renamed(rule_id: str, *, backwards: bool = False) -> str:
    """The id under its current name (``asvc.end`` → ``afterschool.end``), or under its
    old one with ``backwards``; ids that were never renamed come back unchanged."""
    for old, new in RENAMED_PREFIXES:
        before, after = (new, old) if backwards else (old, new)
        if rule_id == before:
            return after
        if rule_id.startswith(before + "."):
            return after + rule_id[len(before) :]
    return rule_id


def rule_ids_renamed(rule_ids: list[Any], *, backwards: bool = False) -> list[Any]:
    return [rule_id_renamed(r, backwards=backwards) if isinstance(r, str) else r for r in rule_ids]


def thresholds_renamed(thresholds: Mapping[str, Any], *, backwards: bool = False) -> dict[str, Any]:
    return {rule_id_renamed(k, backwards=backwards): v for k, v in thresholds.items()}
