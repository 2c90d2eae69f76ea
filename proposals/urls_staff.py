"""Staff pages of 協働事業提案 (/staff/proposals/…; views/staff.py). Set-up of rounds,
criteria, stages and reviewer assignments is in the admin."""

from django.urls import path

from proposals.views import staff

app_name = "proposals_staff"

urlpatterns = [
    path("staff/proposals/", staff.rounds, name="rounds"),
    path("staff/proposals/rounds/<id:pk>/", staff.round_detail, name="round"),
    path("staff/proposals/rounds/<id:pk>/release/", staff.release, name="release"),
    path("staff/proposals/stages/<id:pk>/<str:action>/", staff.stage_action, name="stage_action"),
    path("staff/proposals/<id:pk>/", staff.proposal_detail, name="proposal"),
    path("staff/proposals/<id:pk>/return/", staff.proposal_return, name="return"),
    path(
        "staff/proposals/<id:pk>/pre-consultation/",
        staff.pre_consultation,
        name="pre_consultation",
    ),
    path("staff/proposals/<id:pk>/department/", staff.department, name="department"),
    path("staff/proposals/<id:pk>/shortlist/", staff.shortlist, name="shortlist"),
    path("staff/proposals/<id:pk>/unshortlist/", staff.unshortlist, name="unshortlist"),
    path("staff/proposals/<id:pk>/conflict/", staff.conflict, name="conflict"),
    path("staff/proposals/<id:pk>/decision/", staff.decision, name="decision"),
    path("staff/proposals/projects/<id:pk>/", staff.project_detail, name="project"),
    path(
        "staff/proposals/projects/<id:pk>/<str:action>/",
        staff.project_action,
        name="project_action",
    ),
]
