from django.contrib import admin
from django.urls import include, path

from qingfu.config.api import api
from qingfu.homework import views as homework_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("homework/", include("qingfu.homework.urls")),
    path("afterschool/", include("qingfu.afterschool.urls")),
    path("assessment/", include("qingfu.assessment.urls")),
    path("wellbeing/", include("qingfu.wellbeing.urls")),
    path("oversight/", include("qingfu.oversight.urls")),
    path("surveys/", include("qingfu.surveys.urls")),
    path("inspections/", include("qingfu.inspections.urls")),
    path("training/", include("qingfu.training.urls")),
    path("reports/", include("qingfu.reports.urls")),
    path("burden/", include("qingfu.burden.urls")),
    path("board/<int:class_id>/", homework_views.board, name="board_current"),
    path("board/<int:class_id>/<str:week>/", homework_views.board, name="board"),
    path("", include("qingfu.web.urls")),
]
