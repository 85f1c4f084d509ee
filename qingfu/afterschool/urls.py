from django.urls import path

from qingfu.afterschool import views

app_name = "afterschool"

urlpatterns = [
    path("", views.program_page, name="program"),
    path("child/<int:student_id>/", views.child_page, name="child"),
    path("district/", views.district_programs, name="district"),
    path("duty/", views.duty_page, name="duty"),
    path("roster/", views.roster_page, name="roster"),
    path("hours.xlsx", views.hours_export, name="hours"),
    path("jobs/<int:job_id>/", views.job_page, name="job"),
]
