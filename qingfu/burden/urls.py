from django.urls import path

from qingfu.burden import views

app_name = "burden"

urlpatterns = [
    path("demands/", views.demands_page, name="demands"),
    path("approvals/", views.approvals_page, name="approvals"),
    path("received/", views.received_page, name="received"),
    path("demands/<int:demand_id>/answer.xlsx", views.answer_download, name="answer"),
    path("board/", views.board_page, name="board"),
    path("apps/", views.apps_page, name="apps"),
    path("plan/", views.plan_page, name="plan"),
    path("lists/", views.lists_page, name="lists"),
    path("points/", views.points_page, name="points"),
]
