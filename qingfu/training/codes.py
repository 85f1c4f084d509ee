"""The unified social credit code (统一社会信用代码, GB 32100-2015), checked without a database.

18 characters from the 31 the standard allows (digits and capitals without I, O, S, V, Z):
the registering authority, the entity's kind, the administrative division (6 digits), the
organisation code (9) and a check character computed over the first 17 with weights
3^i mod 31. A typo in any one character, and most swaps of two, change the check.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalized(code: str) -> str:
    """As people type it: spaces dropped, letters in capitals."""
    return "".join(code.split()).upper()


def check_character(body: str) -> str:
    """The 18th character for the first 17."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """What is wrong with ``code`` (already normalized), or None when it is valid:
    ``length``, ``character`` or ``check``."""
    if len(code) != LENGTH:
        return "length"
    if any(c not in ALPHABET for c in code):
        return "character"
    if not code[2:8].isdigit():  # the administrative division
        return "character"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None
