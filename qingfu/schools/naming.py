"""How grades and classes are named in Chinese schools (pure; used by models and files)."""

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


def class_display_name(grade: int, number: int) -> str:
    """三年级(2)班 — the form used on boards, reports and in conversation."""
    return f"{GRADE_NAMES[grade]}({number})班"
