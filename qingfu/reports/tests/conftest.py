"""The burden tests' county, for the county's burden-reduction report."""

from qingfu.burden.tests.helpers import county  # noqa: F401
from qingfu.training.tests.conftest import tw  # noqa: F401
