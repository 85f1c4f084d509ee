"""A synthetic but realistic school week of after-school duties, for the duty roster's
benchmark and tests (not product code: the product builds weeks from its records)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from qingfu.afterschool.duty import DutySession, DutyTeacher

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "静丽敏芳娜秀英华伟强磊军洋勇艳杰娟涛明超霞平刚桂兰玲梅红"
SEGMENTS = ((dt.time(15, 40), dt.time(16, 40)), (dt.time(16, 50), dt.time(17, 50)))


def _generated_teachers(n: int, days: int, rng: random.Random) -> list[DutyTeacher]:
    teachers = []
    for i in range(n):
        first = frozenset(d for d in range(days) if rng.random() < 0.6)
        # One teacher in ten has a standing commitment (training, meeting) on one weekday.
        away: frozenset[str | int] = (
            frozenset({rng.randrange(days)}) if rng.random() < 0.1 else frozenset()
        )
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]
        teachers.append(DutyTeacher(f"T{i:03d}", name, first, away))
    return teachers


def generate_week(
    teachers: int, days: int = 5, segments: int = 2, seed: int = 0
) -> tuple[list[DutySession], list[DutyTeacher]]:
    """A feasible school week: per day and segment about ``0.2 * teachers`` basic groups (one
    per two classes, a tenth of them needing two teachers) and ``0.1 * teachers`` clubs, half
    of which have their own fixed instructor; 60% of teachers teach first period on a day."""
    rng = random.Random(seed)
    staff = _generated_teachers(teachers, days, rng)
    fixed_days: dict[str, set[int]] = defaultdict(set)
    sessions = []
    n_basic, n_club = max(1, round(teachers * 0.2)), max(1, round(teachers * 0.1))
    for d in range(days):
        for seg, (start, end) in enumerate(SEGMENTS[:segments]):
            busy: set[str] = set()
            for k in range(n_basic):
                needed = 2 if rng.random() < 0.1 else 1
                sessions.append(DutySession(f"D{d}S{seg}B{k:02d}", d, start, end, "basic", needed))
            for k in range(n_club):
                sid = f"D{d}S{seg}C{k:02d}"
                # Instructors: at most two days each, so their flexible days stay reachable.
                free = [
                    t
                    for t in staff
                    if t.id not in busy
                    and d not in t.unavailable
                    and len(fixed_days[t.id] | {d}) <= 2
                ]
                if rng.random() < 0.5 and free:
                    t = rng.choice(free)
                    busy.add(t.id)
                    fixed_days[t.id].add(d)
                    sessions.append(DutySession(sid, d, start, end, "club", 1, (t.id,)))
                else:
                    pool = sorted(t.id for t in rng.sample(staff, max(2, teachers * 3 // 10)))
                    sessions.append(DutySession(sid, d, start, end, "club", 1, (), tuple(pool)))
    return sessions, staff
