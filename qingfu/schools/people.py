"""Real-looking Chinese names, student numbers and phone numbers for demos and samples.

Pure (no Django); every draw comes from the ``random.Random`` passed in, so a seed fixes
the output.
"""

from __future__ import annotations

import datetime as dt
import random

from qingfu.schools.roster import id_check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_BOY = [
    "浩宇",
    "子轩",
    "博文",
    "俊杰",
    "睿泽",
    "晨铭",
    "一鸣",
    "天佑",
    "思远",
    "嘉乐",
    "宇航",
    "昊然",
    "明哲",
    "承志",
    "家豪",
    "子墨",
    "皓轩",
    "沐阳",
    "景行",
    "亦凡",
    "瑞霖",
    "锦程",
    "若愚",
    "泽宇",
    "宏宇",
    "子豪",
    "奕辰",
    "梓睿",
    "浩然",
    "俊熙",
    "铭",
    "宇",
    "轩",
    "昊",
    "哲",
]
GIVEN_GIRL = [
    "欣怡",
    "梓萱",
    "雨涵",
    "诗琪",
    "可馨",
    "思彤",
    "语嫣",
    "紫涵",
    "佳怡",
    "梦瑶",
    "若曦",
    "一诺",
    "依诺",
    "雅琪",
    "子涵",
    "心怡",
    "书瑶",
    "婉清",
    "晓彤",
    "静怡",
    "嘉欣",
    "安琪",
    "芷若",
    "语桐",
    "欣然",
    "雨桐",
    "诗涵",
    "可欣",
    "悦",
    "涵",
    "琪",
    "瑶",
    "彤",
    "萱",
]
GIVEN_ADULT_M = [
    "建国",
    "志强",
    "海波",
    "国华",
    "建军",
    "伟明",
    "文斌",
    "永刚",
    "晓东",
    "振华",
    "立新",
    "宏伟",
    "俊峰",
    "国栋",
    "建华",
    "明辉",
    "伟",
    "军",
    "斌",
    "磊",
    "涛",
    "勇",
]
GIVEN_ADULT_F = [
    "丽华",
    "秀英",
    "桂芳",
    "淑珍",
    "晓燕",
    "丽娟",
    "美玲",
    "春梅",
    "海燕",
    "雪梅",
    "红霞",
    "玉兰",
    "慧敏",
    "静芳",
    "晓丽",
    "雅静",
    "敏",
    "静",
    "丽",
    "芳",
    "燕",
    "婷",
]


class Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def child(self, gender: str) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(
            GIVEN_BOY if gender == "M" else GIVEN_GIRL
        )

    def adult(self, gender: str, surname: str | None = None) -> str:
        return (surname or self.rng.choice(SURNAMES)) + self.rng.choice(
            GIVEN_ADULT_M if gender == "M" else GIVEN_ADULT_F
        )


def national_id(region: str, birth: dt.date, gender: str, seq: int) -> str:
    """A 全国学籍号 of the "G" form: G + an 18-digit resident ID with a valid check digit.

    ``seq`` counts children born on the same day in the region; the order code's last
    digit is odd for boys and even for girls, as in a real ID.
    """
    order = seq * 2 + (1 if gender == "M" else 2)
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return "G" + body + id_check_digit(body)


class PhoneBook:
    """Unique mobile numbers, deterministic per seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        while True:
            number = (
                self.rng.choice(("13", "15", "17", "18", "19")) + f"{self.rng.randrange(10**9):09d}"
            )
            if number not in self.used:
                self.used.add(number)
                return number


def birth_for_grade(rng: random.Random, grade: int, semester_start: dt.date) -> dt.date:
    # Entry age is 6 by 31 August: grade 1 in the autumn of year Y was born between
    # 1 Sept (Y-7) and 31 Aug (Y-6); grade g, g-1 years earlier.
    start = dt.date(semester_start.year - 6 - grade, 9, 1)
    return start + dt.timedelta(days=rng.randrange(365))
