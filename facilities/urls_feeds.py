from django.urls import path

from facilities.views import feeds

app_name = "facilities_feeds"

# The private iCal feed and the PDFs of bookings. Included at the site root.
urlpatterns = [
    path("facilities/feeds/<str:token>.ics", feeds.feed, name="feed"),
    path("facilities/organizations/<int:pk>/feeds/new/", feeds.feed_new, name="feed_create"),
    path("facilities/feeds/<int:pk>/revoke/", feeds.feed_close, name="feed_revoke"),
    path(
        "facilities/bookings/<int:pk>/approval-letter/",
        feeds.approval_letter_download,
        name="approval_letter",
    ),
    path("facilities/receipts/<int:pk>/", feeds.receipt_download, name="receipt"),
    path(
        "facilities/organizations/<int:pk>/statements/<int:year>/<int:month>/",
        feeds.statement_download,
        name="statement",
    ),
]
