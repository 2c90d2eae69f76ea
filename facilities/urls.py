from django.urls import path

from facilities.views import member, opendata, public

app_name = "facilities"

# Public pages under /facilities/, the members' booking pages under /facilities/bookings/.
# Included at the site root.
urlpatterns = [
    path("facilities/", public.resource_list, name="resource_list"),
    path("facilities/day/", public.day, name="day"),
    path(
        "opendata/public-facilities.csv",
        opendata.public_facilities_csv,
        name="opendata_public_facilities",
    ),
    path("facilities/<id:pk>/", public.resource_detail, name="resource_detail"),
    path("facilities/bookings/", member.booking_list, name="booking_list"),
    path("facilities/bookings/new/", member.booking_create, name="booking_create"),
    path("facilities/bookings/<id:pk>/", member.booking_detail, name="booking_detail"),
    path("facilities/bookings/<id:pk>/cancel/", member.booking_cancel, name="booking_cancel"),
    path("facilities/bookings/<id:pk>/booking.ics", member.booking_ics, name="booking_ics"),
]
