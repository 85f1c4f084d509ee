"""Rules have short titles people read instead of their ids (issue 19, item 9)."""

from __future__ import annotations

from qingfu.policy.profile import load_national, rule_title


def test_every_national_rule_has_a_title_in_both_languages() -> None:
    untitled = [r.id for r in load_national().rules.values() if not (r.title_zh and r.title_en)]
    assert not untitled, untitled
    titles = [r.title_zh for r in load_national().rules.values()]
    assert len(set(titles)) == len(titles)  # two rules never read alike


def test_a_rule_id_on_a_record_reads_as_its_title() -> None:
    assert rule_title("exam.g1-2") == "一、二年级不进行纸笔考试"
    assert rule_title("exam.g1-2", "en") == "No paper exams in grades 1-2"
    assert rule_title("local.unknown") == "local.unknown"  # a rule the profile no longer has
