"""The rotating, stratified sample panel: who is asked to log homework time on a day.

Pure. Students are split into strata (boys and girls, say) and interleaved into one cycle
whose order is fixed per class by a seed; school day t asks the k students at positions
t·k … t·k+k-1 of that cycle. Consecutive windows of k in an interleaved order are
balanced across strata, and a student comes round again only after n/k school days —
which is at least the minimum gap when k·gap ≤ n (checked).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence


class PanelTooLarge(ValueError):
    """k students a day cannot respect the gap: k × gap exceeds the class size."""


def panel_order(strata: Mapping[str, Sequence[int]], *, seed: int) -> list[int]:
    """One cycle through the class, strata interleaved in proportion to their size."""
    rng = random.Random(seed)
    queues = {name: sorted(ids) for name, ids in strata.items() if ids}
    for ids in queues.values():
        rng.shuffle(ids)
    total = sum(len(ids) for ids in queues.values())
    # Give each student a fractional position (i + ½)/n_s within their stratum and merge
    # by position: every window of the merged order holds each stratum in proportion.
    keyed = [
        ((i + 0.5) / len(ids), name, sid)
        for name, ids in sorted(queues.items())
        for i, sid in enumerate(ids)
    ]
    keyed.sort(key=lambda t: (t[0], t[1]))
    order = [sid for _, _, sid in keyed]
    assert len(order) == total
    return order


def panel_for_day(order: Sequence[int], *, day_index: int, per_day: int, min_gap: int) -> list[int]:
    """The students asked on the ``day_index``-th school day of the cycle."""
    n = len(order)
    if n == 0 or per_day <= 0:
        return []
    if per_day * min_gap > n:
        raise PanelTooLarge(
            f"{per_day} a day, {min_gap} school days apart, needs {per_day * min_gap} students;"
            f" the class has {n}"
        )
    start = (day_index * per_day) % n
    return [order[(start + i) % n] for i in range(per_day)]
