from django.urls import path

from facilities.views import feeds

app_name = "facilities_feeds"

# The private iCal feed and the PDFs of bookings. Included at the site root.
urlpatterns = [
    path("facilities/feeds/<str:token>.ics", feeds.feed, name="feed"),
    path("facilities/organizations/<id:pk>/feeds/new/", feeds.feed_new, name="feed_create"),
    path("facilities/feeds/<id:pk>/revoke/", feeds.feed_close, name="feed_revoke"),
    path(
        "facilities/bookings/<id:pk>/approval-letter/",
        feeds.approval_letter_download,
        name="approval_letter",
    ),
    path("facilities/receipts/<id:pk>/", feeds.receipt_download, name="receipt"),
    path(
        "facilities/organizations/<id:pk>/statements/<id:year>/<id:month>/",
        feeds.statement_download,
        name="statement",
    ),
]
