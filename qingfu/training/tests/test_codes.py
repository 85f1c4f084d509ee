"""The unified social credit code's check, without a database: real codes pass, and any
one character changed (the commonest typo) is caught, whatever the code."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qingfu.training.codes import ALPHABET, check_character, credit_code_problem, normalized

# Published codes of real organisations (the check computed by their registrars).
REAL = ("91350100M000100Y43", "91110000600037341L")

bodies = st.tuples(
    st.text(ALPHABET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
).map("".join)


def test_real_codes_pass_and_typed_ones_are_normalized() -> None:
    for code in REAL:
        assert credit_code_problem(code) is None
    assert normalized(" 9135 0100m000100y43 ") == REAL[0]
    assert credit_code_problem(REAL[0][:17]) == "length"
    assert credit_code_problem(REAL[0][:5] + "I" + REAL[0][6:]) == "character"
    assert credit_code_problem("91AB0100M000100Y43") == "character"  # the division is digits
    assert credit_code_problem(REAL[0][:17] + "4") == "check"


@given(bodies)
def test_a_computed_check_character_makes_a_valid_code(body: str) -> None:
    assert credit_code_problem(body + check_character(body)) is None


@given(bodies, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_any_one_character_changed_is_caught(body: str, at: int, other: str) -> None:
    code = body + check_character(body)
    if other == code[at] or (2 <= at < 8 and not other.isdigit()):
        return  # the same code, or one the division's digits already refuse
    typo = code[:at] + other + code[at + 1 :]
    assert credit_code_problem(typo) == "check"
