from django.urls import path

from coordination import council_views as views

app_name = "council"

urlpatterns = [
    path("council/", views.meetings, name="meetings"),
    path("council/meetings.ics", views.meetings_ics, name="meetings_ics"),
    path("council/meetings/<id:pk>/", views.meeting, name="meeting"),
    path("council/materials/<id:pk>/download/", views.material_download, name="material"),
    path("council/members/", views.member_home, name="member_home"),
    path("council/members/meetings/<id:pk>/", views.member_meeting, name="member_meeting"),
    path(
        "council/members/meetings/<id:pk>/comment/", views.minutes_comment, name="minutes_comment"
    ),
    path("staff/council/meetings/<id:pk>/", views.staff_meeting, name="staff_meeting"),
    path(
        "staff/council/meetings/<id:pk>/materials/",
        views.staff_material_add,
        name="staff_material_add",
    ),
    path(
        "staff/council/meetings/<id:pk>/minutes/",
        views.staff_minutes_save,
        name="staff_minutes_save",
    ),
    path(
        "staff/council/meetings/<id:pk>/minutes/move/",
        views.staff_minutes_move,
        name="staff_minutes_move",
    ),
]
