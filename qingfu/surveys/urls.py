from django.urls import URLPattern, URLResolver, path

from qingfu.surveys import views

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.survey_list, name="list"),
    path("<int:survey_id>/open/", views.survey_open, name="open"),
    path("<int:survey_id>/close/", views.survey_close, name="close"),
    path("<int:survey_id>/results/", views.survey_results, name="results"),
    path("mine/", views.my_surveys, name="mine"),
    path("answer/<int:invitation_id>/", views.answer, name="answer"),
    path("thanks/", views.thanks, name="thanks"),
]
