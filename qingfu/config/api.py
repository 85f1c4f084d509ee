"""The JSON API at /api/v1: one NinjaAPI, a router per app."""

from typing import cast

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from qingfu.afterschool.api import router as afterschool_router
from qingfu.assessment.api import router as assessment_router
from qingfu.burden.api import router as burden_router
from qingfu.core.api import SignedInSession, TokenAuth, docs_access, install_error_handlers
from qingfu.homework.api import router as homework_router
from qingfu.inspections.api import router as inspections_router
from qingfu.schools.api import router as schools_router
from qingfu.surveys.api import router as surveys_router
from qingfu.training.api import router as training_router

api = NinjaAPI(
    title=cast(str, _("轻负 Qingfu API")),
    version="1",
    description=cast(str, _("学校减负管理平台接口。会话（浏览器）或 Bearer 令牌认证。")),
    auth=[TokenAuth(), SignedInSession()],
    urls_namespace="api",
    docs_decorator=docs_access,
)
install_error_handlers(api)
api.add_router("/", schools_router)
api.add_router("/", homework_router)
api.add_router("/", afterschool_router)
api.add_router("/", assessment_router)
api.add_router("/", surveys_router)
api.add_router("/", training_router)
api.add_router("/", burden_router)
api.add_router("/", inspections_router)
