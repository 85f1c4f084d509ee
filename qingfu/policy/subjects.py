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

# The national list's ability elements (能力要素, ``schools/data/subjects.toml``) in English;
# an element a school named itself is shown as the school wrote it.
ABILITY_NAMES_EN: Mapping[str, str] = MappingProxyType(
    {
        "书写": "Writing",
        "体能": "Fitness",
        "动手实践": "Hands-on work",
        "区域认知": "Regional awareness",
        "史料实证": "Evidence from sources",
        "合作": "Cooperation",
        "听说": "Listening and speaking",
        "实践": "Practice",
        "实验": "Experiments",
        "思维": "Reasoning",
        "拼读": "Phonics",
        "探究": "Inquiry",
        "数字化学习": "Digital learning",
        "时空观念": "Time and place",
        "明理": "Understanding",
        "欣赏": "Appreciation",
        "演唱": "Singing",
        "表达": "Expression",
        "观察": "Observation",
        "规范书写": "Handwriting",
        "计算": "Calculation",
        "计算思维": "Computational thinking",
        "识图": "Reading diagrams",
        "识字": "Characters",
        "词汇": "Vocabulary",
        "践行": "Putting into practice",
        "运动技能": "Motor skills",
        "造型": "Shaping forms",
        "阅读": "Reading",
    }
)


def subject_name(code: str, lang: str = "zh-hans") -> str:
    """The display name of a subject code; an unknown code is shown as it is."""
    names = SUBJECT_NAMES.get(code)
    if names is None:
        return code
    return names[1] if lang.startswith("en") else names[0]
