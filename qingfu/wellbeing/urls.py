from django.urls import path

from qingfu.wellbeing import views

app_name = "wellbeing"

urlpatterns = [path("", views.wellbeing_page, name="page")]
