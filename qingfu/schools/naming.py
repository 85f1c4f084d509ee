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


_DIGITS = "一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (一, 十, 十二, 二十, 九十九), as an official document numbers
    its items (一、二、…)."""
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is outside 1..99")
    tens, ones = divmod(n, 10)
    if not tens:
        return _DIGITS[ones - 1]
    return (_DIGITS[tens - 1] if tens > 1 else "") + "十" + (_DIGITS[ones - 1] if ones else "")


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


def distinct_names(
    people: list[tuple[int, str, str, str]], language: str | None = None
) -> dict[int, str]:
    """How to show each person so that two with one name can be told apart.

    ``people``: (id, name, detail, staff number), where the detail is what people know
    them by (for a teacher, the subjects and grades taught). A name nobody else shares is
    shown as it is; a shared one gets its detail, and the staff number as well when the
    detail does not tell them apart (or is empty): 于立新（数学 · 三年级）.
    """
    english = is_english(language)
    by_name: dict[str, list[tuple[int, str, str, str]]] = {}
    for person in people:
        by_name.setdefault(person[1], []).append(person)
    shown: dict[int, str] = {}
    for name, same in by_name.items():
        if len(same) == 1:
            shown[same[0][0]] = name
            continue
        details = [detail for _i, _n, detail, _s in same]
        for pk, _n, detail, staff_no in same:
            parts = [detail] if detail else []
            if not detail or details.count(detail) > 1:
                parts.append(f"No. {staff_no}" if english else f"工号 {staff_no}")
            inner = " · ".join(parts)
            shown[pk] = f"{name} ({inner})" if english else f"{name}（{inner}）"
    return shown
