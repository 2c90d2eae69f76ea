"""The center staff's event pages, under /staff/ (which the two-factor middleware guards)."""

from django.urls import path

from events.views import staff

app_name = "events_staff"

urlpatterns = [
    path("staff/events/", staff.event_list, name="event_list"),
    path("staff/events/statistics/", staff.statistics, name="statistics"),
    path("staff/events/<id:pk>/", staff.event_detail, name="event_detail"),
    path("staff/events/<id:pk>/copy/", staff.event_copy, name="event_copy"),
    path(
        "staff/events/<id:pk>/applications/export.csv",
        staff.application_export,
        name="application_export",
    ),
    path("staff/events/sessions/<id:pk>/", staff.session_edit, name="session_edit"),
    path("staff/events/sessions/<id:pk>/cancel/", staff.session_cancel, name="session_cancel"),
    path("staff/events/<id:pk>/applications/", staff.application_list, name="application_list"),
    path(
        "staff/events/applications/<id:pk>/<slug:action>/",
        staff.application_action,
        name="application_action",
    ),
]
