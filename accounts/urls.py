from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.mypage, name="mypage"),
    path("profile/", views.profile_edit, name="profile_edit"),
]
