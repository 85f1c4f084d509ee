"""How grades and classes are named (pure; used by models and files).

What is stored is only the numbers. Files, reports and the roster format use the Chinese form
(三年级(2)班), which the roster import parses back; pages show the form of the reader's
language, so a teacher who chose English sees "Grade 3 (2)". English names are built here
rather than translated in the locale files because they follow the numbers, not a phrase.
"""

GRADE_NAMES = {
    1: "一年级",
    2: "二年级",
    3: "三年级",
    4: "四年级",
    5: "五年级",
    6: "六年级",
    7: "七年级",
    8: "八年级",
    9: "九年级",
}


def is_english(language: str | None) -> bool:
    return bool(language) and str(language).lower().startswith("en")


def grade_display_name(grade: int, language: str | None = None) -> str:
    """三年级, or "Grade 3" in English."""
    return f"Grade {grade}" if is_english(language) else GRADE_NAMES[grade]


def class_display_name(grade: int, number: int, language: str | None = None) -> str:
    """三年级(2)班 — the form used on boards, reports and in conversation; "Grade 3 (2)" in
    English. Without a language it is always the Chinese form (files, stored messages)."""
    if is_english(language):
        return f"Grade {grade} ({number})"
    return f"{GRADE_NAMES[grade]}({number})班"
