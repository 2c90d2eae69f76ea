from django.urls import path

from events.views import public

app_name = "events"

# The public catalogue under /events/. Included at the site root.
urlpatterns = [
    path("events/", public.event_list, name="event_list"),
    path("events/archive/", public.event_archive, name="event_archive"),
    path("events/calendar/", public.event_calendar, name="event_calendar"),
    path("events/feed.ics", public.feed, name="feed"),
    path("events/<id:pk>/", public.event_detail, name="event_detail"),
    path("events/<id:pk>/event.ics", public.event_ics, name="event_ics"),
]
