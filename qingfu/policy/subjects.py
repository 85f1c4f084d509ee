"""Subject codes and school stages used across the project.

Rules name subjects by a stable code ("math"), never by a display name, so a profile
written in one place means the same thing in every school's records and in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

Stage = Literal["primary", "junior", "senior"]
STAGES: tuple[Stage, ...] = ("primary", "junior", "senior")

SUBJECT_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "chinese": ("语文", "Chinese"),
        "math": ("数学", "Mathematics"),
        "english": ("英语", "English"),
        "morality": ("道德与法治", "Morality and Law"),
        "science": ("科学", "Science"),
        "physics": ("物理", "Physics"),
        "chemistry": ("化学", "Chemistry"),
        "biology": ("生物学", "Biology"),
        "history": ("历史", "History"),
        "geography": ("地理", "Geography"),
        "it": ("信息科技", "Information Technology"),
        "pe": ("体育与健康", "PE and Health"),
        "music": ("音乐", "Music"),
        "art": ("美术", "Art"),
        "labor": ("劳动", "Labour"),
        "practice": ("综合实践活动", "Integrated Practice"),
    }
)
SUBJECT_CODES: frozenset[str] = frozenset(SUBJECT_NAMES)


def subject_name(code: str, lang: str = "zh-hans") -> str:
    """The display name of a subject code; an unknown code is shown as it is."""
    names = SUBJECT_NAMES.get(code)
    if names is None:
        return code
    return names[1] if lang.startswith("en") else names[0]
