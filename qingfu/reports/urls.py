from django.urls import URLPattern, URLResolver, path

from qingfu.reports import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_page, name="page"),
    path("download/<str:fmt>/", views.report_download, name="download"),
    path("ledger/<str:key>/", views.ledger_download, name="ledger"),
]
