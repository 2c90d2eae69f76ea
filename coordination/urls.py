from django.urls import path

from coordination import views

app_name = "coordination"

urlpatterns = [
    path("coordination/", views.board, name="board"),
    path("coordination/posts/<id:pk>/", views.post_detail, name="post_detail"),
    path("coordination/posts/<id:pk>/interest/", views.post_interest, name="post_interest"),
    path("coordination/new/", views.post_create, name="post_create"),
    path("coordination/mine/", views.mine, name="mine"),
    path("coordination/mine/<id:pk>/", views.my_post, name="my_post"),
    path("coordination/mine/<id:pk>/edit/", views.post_edit, name="post_edit"),
    path("coordination/mine/<id:pk>/renew/", views.post_renew, name="post_renew"),
    path("coordination/mine/<id:pk>/withdraw/", views.post_withdraw, name="post_withdraw"),
    path("staff/coordination/", views.staff_posts, name="staff_posts"),
    path("staff/coordination/posts/<id:pk>/", views.staff_post, name="staff_post"),
    path("staff/coordination/posts/<id:pk>/decide/", views.staff_moderate, name="staff_moderate"),
    path(
        "staff/coordination/interests/<id:pk>/outcome/", views.staff_outcome, name="staff_outcome"
    ),
    path("staff/coordination/statistics/", views.staff_statistics, name="staff_statistics"),
]
