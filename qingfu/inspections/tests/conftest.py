"""The training world (an officer, institutions and their staff) for the inspections of
training institutions."""

from qingfu.training.tests.conftest import tw  # noqa: F401
