from django.contrib import admin
from django.urls import include, path

from qingfu.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("homework/", include("qingfu.homework.urls")),
    path("", include("qingfu.web.urls")),
]
