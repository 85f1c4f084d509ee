from django.urls import path

from qingfu.homework import views

app_name = "homework"

urlpatterns = [
    path("", views.homework_mine, name="mine"),
    path("new/", views.homework_new, name="new"),
    path("check/", views.homework_check, name="check"),
    path("item-row/", views.item_row, name="item_row"),
    path("exceptions/", views.exception_list, name="exceptions"),
    path("exceptions/<int:exception_id>/decide/", views.exception_decide, name="decide"),
    path("plans/", views.plan_index, name="plans"),
    path("week/", views.week_view, name="week"),
    path("log/<int:student_id>/<str:day>/", views.time_log, name="time_log"),
    path("alerts/", views.alert_list, name="alerts"),
    path("logging/<int:class_id>/", views.class_logging, name="class_logging"),
    path("plans/<int:grade_id>/<str:week>/", views.plan_edit, name="plan_edit"),
]
