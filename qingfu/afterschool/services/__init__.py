"""Writes for after-school services, one module per seam: the program (``programs``), its
clubs (``clubs``), families' survey and sign-up (``signups``) and ranked clubs
(``preferences``), the allocation runs (``allocation_runs``), the open round
(``open_round``), the waitlist (``waitlist``) and long work as background jobs (``jobs``). Callers use the names re-exported here.
"""

from qingfu.afterschool.services.allocation_runs import (
    adopt_run,
    allocation_apply,
    allocation_run,
    record_run,
)
from qingfu.afterschool.services.clubs import ClubInput, club_save, club_set_capacity
from qingfu.afterschool.services.jobs import job_run, job_start, jobs_sweep
from qingfu.afterschool.services.open_round import (
    open_round_seed,
    open_round_settle,
    open_round_start,
    seat_request,
)
from qingfu.afterschool.services.preferences import preferences_set
from qingfu.afterschool.services.programs import (
    ProgramInput,
    program_file,
    program_save,
    program_set_phase,
)
from qingfu.afterschool.services.signups import signup_set, signup_withdraw, survey_answer
from qingfu.afterschool.services.waitlist import seat_withdraw

__all__ = [
    "ClubInput",
    "ProgramInput",
    "adopt_run",
    "allocation_apply",
    "allocation_run",
    "club_save",
    "club_set_capacity",
    "job_run",
    "job_start",
    "jobs_sweep",
    "open_round_seed",
    "open_round_settle",
    "open_round_start",
    "preferences_set",
    "program_file",
    "program_save",
    "program_set_phase",
    "record_run",
    "seat_request",
    "seat_withdraw",
    "signup_set",
    "signup_withdraw",
    "survey_answer",
]
