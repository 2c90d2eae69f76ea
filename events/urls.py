from django.urls import path

from events.views import apply, public

app_name = "events"

# The public catalogue under /events/. Included at the site root.
urlpatterns = [
    path("events/", public.event_list, name="event_list"),
    path("events/archive/", public.event_archive, name="event_archive"),
    path("events/calendar/", public.event_calendar, name="event_calendar"),
    path("events/feed.ics", public.feed, name="feed"),
    path("events/opendata/event-list.csv", public.open_data, name="open_data"),
    path("events/<id:pk>/", public.event_detail, name="event_detail"),
    path("events/<id:pk>/event.ics", public.event_ics, name="event_ics"),
    path("events/<id:pk>/apply/", apply.apply, name="apply"),
    path("events/applications/<str:token>/", apply.application_detail, name="application"),
    path(
        "events/applications/<str:token>/cancel/",
        apply.application_cancel,
        name="application_cancel",
    ),
    path("events/applications/<str:token>/accept/", apply.offer_accept, name="offer_accept"),
]
