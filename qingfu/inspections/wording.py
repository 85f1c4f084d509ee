"""Evidence kept as messages and figures: the machinery is ``qingfu.core.wording``, which
alerts share; the inspection modules know it by this name."""

from qingfu.core.wording import *  # noqa: F403
