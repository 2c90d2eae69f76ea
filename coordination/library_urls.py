from django.urls import path

from coordination import library_views as views

app_name = "library"

urlpatterns = [
    path("library/", views.documents, name="documents"),
    path("library/<slug:slug>/", views.document, name="document"),
    path("library/versions/<id:pk>/download/", views.version_download, name="version"),
]
