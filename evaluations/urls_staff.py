"""Staff pages of the 協働事業評価 (views_staff.py)."""

from django.urls import path

from evaluations import views_staff

app_name = "evaluations_staff"

urlpatterns = [
    path("staff/evaluations/", views_staff.index, name="index"),
    path("staff/evaluations/years/<id:year>/publish/", views_staff.publish, name="publish"),
    path("staff/evaluations/project-years/<id:pk>/start/", views_staff.create, name="create"),
    path("staff/evaluations/<id:pk>/", views_staff.detail, name="detail"),
    path("staff/evaluations/<id:pk>/<str:action>/", views_staff.action, name="action"),
]
