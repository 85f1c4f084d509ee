from django.urls import URLPattern, URLResolver, path

from qingfu.inspections import views

app_name = "inspections"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("school/<int:school_id>/start/", views.visit_start, name="start"),
    path("visit/<int:visit_id>/", views.visit_page, name="visit"),
    path("visit/<int:visit_id>/notice/", views.notice_new, name="notice_new"),
    path("notices/", views.notices_page, name="notices"),
    path("notice/<int:notice_id>/", views.notice_page, name="notice"),
]
