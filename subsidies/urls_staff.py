"""Staff pages of the subsidy."""

from django.urls import path

from subsidies.views import staff

app_name = "subsidies_staff"

urlpatterns = [
    path("staff/subsidies/", staff.programmes, name="programmes"),
    path("staff/subsidies/programmes/<id:pk>/", staff.programme, name="programme"),
    path("staff/subsidies/programmes/<id:pk>/release/", staff.release, name="release"),
    path(
        "staff/subsidies/programmes/<id:pk>/export.csv",
        staff.programme_export,
        name="programme_export",
    ),
    path("staff/subsidies/applications/<id:pk>/decision/", staff.decide, name="decide"),
    path(
        "staff/subsidies/applications/<id:pk>/advance-paid/",
        staff.advance_paid,
        name="advance_paid",
    ),
]
