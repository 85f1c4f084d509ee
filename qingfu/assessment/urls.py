from django.urls import path

from qingfu.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.teacher_exams, name="mine"),
    path("plan/", views.plan_page, name="plan"),
    path("exam/<int:exam_id>/class/<int:class_id>/", views.class_results, name="class"),
    path("student/<int:student_id>/", views.student_results, name="student"),
    path("marks/<int:assignment_id>/<int:class_id>/", views.marks_page, name="marks"),
    path("chart/<int:class_id>/<int:subject_id>/", views.chart_page, name="chart"),
    path("notebook/<int:student_id>/", views.notebook_page, name="notebook"),
]
