from django.urls import path

from qingfu.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.teacher_exams, name="mine"),
    path("plan/", views.plan_page, name="plan"),
    path("exam/<int:exam_id>/class/<int:class_id>/", views.class_results, name="class"),
    path("student/<int:student_id>/", views.student_results, name="student"),
]
