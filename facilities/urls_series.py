"""Recurring bookings and the waitlist (facilities.views.series_waitlist), under /facilities/.
Included at the site root by kyodo/urls.py."""

from django.urls import path

from facilities.views import series_waitlist as views

app_name = "facilities_series"

urlpatterns = [
    path("facilities/series/new/", views.series_new, name="series_new"),
    path("facilities/series/<id:pk>/", views.series_detail, name="series_detail"),
    path("facilities/series/<id:pk>/approval-letter/", views.series_letter, name="series_letter"),
    path("facilities/series/<id:pk>/cancel/", views.series_cancel, name="series_cancel"),
    path(
        "facilities/series/<id:pk>/bookings/<id:booking_pk>/cancel/",
        views.series_booking_cancel,
        name="series_booking_cancel",
    ),
    path("facilities/waitlist/join/", views.waitlist_join, name="waitlist_join"),
    # The offer e-mail links here (facilities.waitlist.offer_path spells the same path).
    path("facilities/waitlist/<str:token>/", views.waitlist_offer, name="waitlist_offer"),
    path(
        "facilities/waitlist/<str:token>/withdraw/",
        views.waitlist_withdraw,
        name="waitlist_withdraw",
    ),
]
