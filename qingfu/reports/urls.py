from django.urls import URLPattern, URLResolver, path

from qingfu.reports import burden_views, training_views, views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_page, name="page"),
    path("download/<str:fmt>/", views.report_download, name="download"),
    path("ledger/<str:key>/", views.ledger_download, name="ledger"),
    path("training/", training_views.training_page, name="training"),
    path(
        "training/download/<str:fmt>/", training_views.training_download, name="training_download"
    ),
    path("burden/", burden_views.burden_page, name="burden"),
    path("burden/download/<str:fmt>/", burden_views.burden_download, name="burden_download"),
]
