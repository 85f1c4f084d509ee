"""The burden tests' county (see helpers.County), on a pinned day."""

from typing import Any

import pytest

from qingfu.burden.tests.helpers import TODAY, county  # noqa: F401


@pytest.fixture(autouse=True)
def _pinned_today(settings: Any) -> None:
    settings.QINGFU_TODAY = TODAY.isoformat()
