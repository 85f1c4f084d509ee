from django.urls import path

from qingfu.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("district/<int:district_id>/", views.district, name="district"),
    path("school/<int:school_id>/", views.school, name="school"),
    path("school/<int:school_id>/grade/<int:grade>/", views.grade, name="grade"),
    path("class/<int:class_id>/", views.school_class, name="class"),
    path("class/<int:class_id>/<str:day>/", views.class_day, name="class_day"),
]
