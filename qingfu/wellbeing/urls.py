from django.urls import path

from qingfu.wellbeing import views

app_name = "wellbeing"

urlpatterns = [
    path("", views.wellbeing_page, name="page"),
    path("phones/", views.phones_page, name="phones"),
    path("reading/", views.reading_page, name="reading"),
    path("sleep/<int:student_id>/", views.sleep_report_page, name="sleep_report"),
    path("phone/<int:student_id>/", views.phone_apply_page, name="phone_apply"),
]
