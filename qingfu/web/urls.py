from django.contrib.auth import views as auth_views
from django.urls import path

from qingfu.web import privacy, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
    path("students/<int:student_id>/", views.student_detail, name="student_detail"),
    path("schools/<int:school_id>/roster/", views.roster_import, name="roster_import"),
    path("schools/<int:school_id>/roster.xlsx", views.roster_export, name="roster_export"),
    path("schools/<int:school_id>/calendar/", views.school_calendar, name="calendar"),
    path("schools/<int:school_id>/audit/", privacy.audit_log, name="audit"),
    path("schools/<int:school_id>/erasures/", privacy.school_erasures, name="erasures"),
    path("privacy/child/<int:student_id>/", privacy.child_privacy, name="child_privacy"),
    path(
        "privacy/child/<int:student_id>/dossier.<str:fmt>",
        privacy.child_dossier,
        name="child_dossier",
    ),
    path("districts/<int:district_id>/", views.district, name="district"),
    path("healthz", views.healthz, name="healthz"),
]
