"""Reports in the role matrix (qingfu/core/tests/matrix.py): school A's work-summary report
as a page and a file, and a ledger. School A's admin and district 1's officer report on it.
The county's burden-reduction report (page and file) is the campaign office's only: no role
of the world holds it, so everyone gets the uniform 404 (its own allowed requests are in
test_burden_report.py)."""

from __future__ import annotations

from qingfu.conftest import World
from qingfu.core.tests.matrix import OFFICERS, TRAINING_OFFICER, Case

SCHOOL_A = frozenset({"admin_a", "officer_d1"})


def _scope(w: World) -> dict[str, str]:
    return {"scope": f"school-{w.a.pk}", "preset": "week"}


CASES = [
    Case("reports/", lambda w: ("/reports/", _scope(w)), allowed=SCHOOL_A),
    Case(
        "reports/download/<str:fmt>/",
        lambda w: ("/reports/download/docx/", _scope(w)),
        allowed=SCHOOL_A,
    ),
    Case(
        "reports/ledger/<str:key>/",
        lambda w: ("/reports/ledger/publicity/", _scope(w)),
        allowed=SCHOOL_A,
    ),
    Case("reports/burden/", lambda w: ("/reports/burden/", {"preset": "year"})),
    Case(
        "reports/burden/download/<str:fmt>/",
        lambda w: ("/reports/burden/download/pdf/", {"preset": "year"}),
    ),
    # 校外培训治理: the training officer's and the education bureau's (their own district).
    Case(
        "reports/training/",
        lambda w: ("/reports/training/", {"preset": "month"}),
        allowed=TRAINING_OFFICER | OFFICERS,
    ),
    Case(
        "reports/training/download/<str:fmt>/",
        lambda w: ("/reports/training/download/docx/", {"preset": "month"}),
        allowed=TRAINING_OFFICER | OFFICERS,
    ),
]
