from django.urls import URLPattern, URLResolver, path

from qingfu.inspections import institution_views, views

app_name = "inspections"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("school/<int:school_id>/start/", views.visit_start, name="start"),
    path("visit/<int:visit_id>/", views.visit_page, name="visit"),
    path("visit/<int:visit_id>/notice/", views.notice_new, name="notice_new"),
    path("notices/", views.notices_page, name="notices"),
    path("notice/<int:notice_id>/", views.notice_page, name="notice"),
    # Off-campus training institutions: the training officer inspects, the staff answer.
    path("institutions/", institution_views.index, name="institutions"),
    path(
        "institutions/<int:institution_id>/start/",
        institution_views.visit_start,
        name="institution_start",
    ),
    path(
        "institution-visit/<int:visit_id>/",
        institution_views.visit_page,
        name="institution_visit",
    ),
    path(
        "institution-visit/<int:visit_id>/notice/",
        institution_views.notice_new,
        name="institution_notice_new",
    ),
    path(
        "institution-notice/<int:notice_id>/",
        institution_views.notice_page,
        name="institution_notice",
    ),
]
