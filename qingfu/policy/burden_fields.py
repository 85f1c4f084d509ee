"""A data request's field list (一表通): parsed, then matched to the facts Qingfu holds.

An office asks a school or a community for "学生人数、教师人数、课后服务参与率"; Qingfu
already holds most of these. ``parse_field_list`` reads the list as people type it (one
field a line, or separated by 、，,;；), refusing what cannot be a list with a message per
problem; ``match_fields`` maps each field to a key of the fact catalogue
(``catalogues/facts.toml``: Chinese names and synonyms), so the app layer can fill the
matched part from its selectors and leave only the rest to the receiver.

Pure: no Django, no clock. The catalogue is data, read once.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType

SEPARATORS = "\n、，,;；"
OPENING, CLOSING = "(（[【", ")）]】"
MAX_FIELDS = 200
MAX_FIELD_LENGTH = 40
SCOPES = ("school", "unit")

# A numbering people put before a field: "1." "1、" "(1)" "（一）" "①" "一、".
_NUMBERING = re.compile(
    r"^\s*(?:\d+\s*[.．)）:：]|[（(]\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）]"
    r"|[①-⑳]|[一二三四五六七八九十]+\s*[.．:：])\s*"
)
# A whole item that is only a numbering (what is left of "1、学生数" after the split at 、).
_ONLY_NUMBERING = re.compile(
    r"^(?:\d+|[①-⑳]|[一二三四五六七八九十]+|[（(]\s*(?:\d+|[一二三四五六七八九十]+)\s*[)）])$"
)
_NEXT_NUMBER = re.compile(r"\s+(?:\d+|[①-⑳])$")
_WORDLIKE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
_TRAILING = "。.:：!！?？"
# A unit in brackets at the end of a field name, "学生数（人）", "参与率(%)", "（单位：人）",
# matched after NFKC (full-width brackets, colon and % are half-width by then). Any other
# bracket says something (学生数（含男、女）) and keeps the field from matching.
_UNIT_SUFFIX = re.compile(
    r"[(\[【]\s*(?:单位[:]?)?\s*(?:人|个|名|次|所|件|项|场|班|元|万元|%|‰)\s*[)\]】]$"
)


@dataclass(frozen=True)
class FieldListProblem:
    """One reason a field list cannot be read; ``position`` is the item's place (1-based),
    or None for the list as a whole."""

    position: int | None
    text: str
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh-hans") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


class FieldListError(ValueError):
    """The field list was refused; ``problems`` lists every reason, not just the first."""

    def __init__(self, problems: Iterable[FieldListProblem]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(p.message_zh for p in self.problems))


def _split(text: str) -> tuple[list[str], bool]:
    """Items at the separators outside brackets, and whether the brackets balance."""
    items: list[str] = []
    current: list[str] = []
    depth, balanced = 0, True
    for char in text:
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth -= 1
            if depth < 0:
                balanced, depth = False, 0
        if char in SEPARATORS and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items, balanced and depth == 0


def parse_field_list(
    text: str, *, max_fields: int = MAX_FIELDS, max_length: int = MAX_FIELD_LENGTH
) -> tuple[str, ...]:
    """The fields of a list, in order, each once (a repeated field is kept at its first place).

    Separators inside brackets do not split ("学生数（含男、女）" is one field); numberings
    ("1." "（一）" "①") and trailing full stops are dropped. Raises ``FieldListError`` for
    an empty list, unbalanced brackets, an item that is no name (only punctuation), an
    item too long to be one field (a sentence, or separators missing) and too many fields.
    """
    problems: list[FieldListProblem] = []
    raw, balanced = _split(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not balanced:
        problems.append(
            FieldListProblem(
                None, text, "字段清单的括号不成对", "The field list's brackets do not match"
            )
        )
    fields: list[str] = []
    for item in raw:
        name = unicodedata.normalize("NFC", item).strip()
        if _ONLY_NUMBERING.match(name):
            continue
        name = _NUMBERING.sub("", name).strip().rstrip(_TRAILING).strip()
        # The next item's number typed on the same line: "1、学生数 2、教师数".
        name = _NEXT_NUMBER.sub("", name)
        if not name:
            continue
        position = len(fields) + 1
        if not _WORDLIKE.search(name):
            problems.append(
                FieldListProblem(
                    position, name,
                    f"第 {position} 项“{name}”不是字段名",
                    f"Item {position} “{name}” is not a field name",
                )
            )  # fmt: skip
        elif len(name) > max_length:
            problems.append(
                FieldListProblem(
                    position, name,
                    f"第 {position} 项有 {len(name)} 字，超过 {max_length} 字，"
                    "可能缺少分隔符（每行一项，或用、，；分隔）",
                    f"Item {position} has {len(name)} characters, more than {max_length}: "
                    "separators may be missing (one a line, or separated by 、，,;；)",
                )
            )  # fmt: skip
        fields.append(name)
    unique = tuple(dict.fromkeys(fields))
    if not unique and not problems:
        problems.append(FieldListProblem(None, text, "字段清单为空", "The field list is empty"))
    if len(unique) > max_fields:
        problems.append(
            FieldListProblem(
                None, text,
                f"字段清单有 {len(unique)} 项，超过 {max_fields} 项",
                f"The field list has {len(unique)} fields, more than {max_fields}",
            )
        )  # fmt: skip
    if problems:
        raise FieldListError(problems)
    return unique


# --- the catalogue ---------------------------------------------------------------------


class CatalogueError(ValueError):
    """A fact catalogue file that is not valid (raised when loading)."""


@dataclass(frozen=True)
class Fact:
    """A fact Qingfu holds: its key (filled by the app layer), names and synonyms."""

    key: str
    name_zh: str
    name_en: str
    scope: str
    synonyms: tuple[str, ...] = ()

    def name(self, lang: str = "zh-hans") -> str:
        return self.name_en if lang.startswith("en") else self.name_zh


@dataclass(frozen=True)
class FactCatalogue:
    facts: tuple[Fact, ...]
    ignore_prefixes: tuple[str, ...] = ()
    # Normalised name or synonym -> key; built from ``facts``.
    index: Mapping[str, str] = field(default_factory=dict)

    def fact(self, key: str) -> Fact:
        for fact in self.facts:
            if fact.key == key:
                return fact
        raise KeyError(f"no fact {key!r} in the catalogue")

    def normalize(self, name: str) -> str:
        return normalize_field(name, self.ignore_prefixes)


def normalize_field(name: str, ignore_prefixes: Iterable[str] = ()) -> str:
    """A field name as it is compared: half-width, no spaces, lower case, without a unit in
    brackets at the end or one of ``ignore_prefixes`` at the start."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(text.split()).lower().rstrip(_TRAILING)
    while True:
        shorter = _UNIT_SUFFIX.sub("", text)
        if shorter == text or not shorter:
            break
        text = shorter
    for prefix in sorted(ignore_prefixes, key=len, reverse=True):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    return text


def parse_fact_catalogue(text: str) -> FactCatalogue:
    """A catalogue from TOML text; a name claimed by two keys fails here, not at match time."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not valid TOML: {exc}") from exc
    prefixes = tuple(data.get("catalogue", {}).get("ignore_prefixes", ()))
    facts: list[Fact] = []
    index: dict[str, str] = {}
    for raw in data.get("facts", []):
        try:
            fact = Fact(
                key=raw["key"],
                name_zh=raw["name_zh"],
                name_en=raw["name_en"],
                scope=raw["scope"],
                synonyms=tuple(raw.get("synonyms", ())),
            )
        except KeyError as exc:
            raise CatalogueError(f"fact {raw.get('key', '?')}: missing {exc}") from exc
        if fact.scope not in SCOPES:
            raise CatalogueError(f"fact {fact.key}: scope must be one of {SCOPES}")
        if any(f.key == fact.key for f in facts):
            raise CatalogueError(f"duplicate fact key {fact.key}")
        for name in (fact.name_zh, *fact.synonyms):
            normal = normalize_field(name, prefixes)
            if index.get(normal, fact.key) != fact.key:
                raise CatalogueError(f"{name!r} names both {index[normal]} and {fact.key}")
            index[normal] = fact.key
        facts.append(fact)
    return FactCatalogue(tuple(facts), prefixes, MappingProxyType(index))


@cache
def load_fact_catalogue() -> FactCatalogue:
    """The catalogue shipped with Qingfu (read once; immutable, so sharing is safe)."""
    path = resources.files("qingfu.policy").joinpath("catalogues/facts.toml")
    return parse_fact_catalogue(path.read_text("utf-8"))


# --- matching --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldMatches:
    """Each field of a request, matched to a fact or left for the receiver, in order."""

    matched: tuple[tuple[str, Fact], ...]
    unmatched: tuple[str, ...]

    @property
    def asked(self) -> int:
        return len(self.matched) + len(self.unmatched)

    @property
    def answered(self) -> int:
        """Fields answered from records (the board's "fields answered from records")."""
        return len(self.matched)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(fact.key for _, fact in self.matched)


def match_fields(
    fields: Iterable[str],
    catalogue: FactCatalogue | None = None,
    *,
    scopes: Iterable[str] = SCOPES,
) -> FieldMatches:
    """Map each field to the fact it names (by name or synonym, normalised), among the
    facts of ``scopes`` (a community holds no school facts: pass ("unit",))."""
    catalogue = catalogue or load_fact_catalogue()
    allowed = set(scopes)
    unknown = allowed - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes {sorted(unknown)}: use {SCOPES}")
    matched: list[tuple[str, Fact]] = []
    unmatched: list[str] = []
    for name in fields:
        key = catalogue.index.get(catalogue.normalize(name))
        fact = catalogue.fact(key) if key else None
        if fact is not None and fact.scope in allowed:
            matched.append((name, fact))
        else:
            unmatched.append(name)
    return FieldMatches(tuple(matched), tuple(unmatched))
