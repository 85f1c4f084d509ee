"""Qingfu's policy layer: rule profiles as data, checks as pure functions.

Imports nothing from Django and never reads the clock. Callers load the facts, pass plain
values in, and get verdicts back (ok / warn / violation, with rule id, measured value,
limit, bilingual message and citation).

- ``rules``     ``Rule`` and ``Profile``: what a check reads its thresholds from
- ``profile``   the national profile (``profiles/national.toml``) and stricter overrides
- ``checks``    the checks themselves (homework, sleep, after-school, exams)
- ``training``  off-campus training: sessions on rest days and late, prices, prepaid
                charges, non-profit registration and teaching certificates
- ``burden``    grassroots and teacher burden: demands (documents, meetings, inspections,
                data requests, tasks, certificates, apps, campus activities, secondments)
                checked, and the campaign board's year-on-year counts and burden index
- ``burden_fields`` a data request's field list parsed and matched to the facts Qingfu
                holds (``catalogues/facts.toml``, 一表通)
- ``calendar``  school days, weekends, holidays and make-up workdays (``calendars/``)
- ``verdicts``  ``Status``, ``Verdict``, ``worst``
- ``subjects``  subject codes and stages shared by the whole project
"""
