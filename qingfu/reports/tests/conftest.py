"""The burden tests' county, for the county's burden-reduction report."""

from qingfu.burden.tests.helpers import county  # noqa: F401
