"""Center staff's pages of 情報, under /staff/ (which the two-factor middleware guards)."""

from django.urls import path

from publications import views_staff

app_name = "publications_staff"

urlpatterns = [
    path(
        "staff/publications/grants/suggestions/",
        views_staff.grant_suggestions,
        name="grant_suggestions",
    ),
    path(
        "staff/publications/grants/<id:pk>/<str:action>/",
        views_staff.grant_action,
        name="grant_action",
    ),
    path("staff/publications/newsletter/", views_staff.newsletter_home, name="newsletter"),
    path(
        "staff/publications/newsletter/subscribers.csv",
        views_staff.newsletter_subscribers_csv,
        name="newsletter_subscribers_csv",
    ),
    path(
        "staff/publications/newsletter/<id:pk>/",
        views_staff.newsletter_issue,
        name="newsletter_issue",
    ),
    path(
        "staff/publications/newsletter/<id:pk>/test/",
        views_staff.newsletter_test,
        name="newsletter_test",
    ),
    path(
        "staff/publications/newsletter/<id:pk>/send/",
        views_staff.newsletter_send,
        name="newsletter_send",
    ),
]
