from django.urls import path

from qingfu.training import views

app_name = "training"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("i/<int:institution_id>/", views.institution_page, name="institution"),
    path("complaint/", views.complaint_new, name="complaint"),
    path("complaint/follow/", views.complaint_find, name="find"),
    path("complaint/<str:reference>/", views.complaint_follow, name="follow"),
    path("registry/", views.registry, name="registry"),
    path("registry/import/", views.registry_import, name="import"),
    path("registry/<int:institution_id>/", views.institution_edit, name="edit"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<int:complaint_id>/", views.complaint_handle, name="handle"),
    path("mine/", views.mine, name="mine"),
]
