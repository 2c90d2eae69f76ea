from django.urls import path

from consultations.views import asker, staff, stats

app_name = "consultations"

# Askers' pages under /consultations/, staff pages under /staff/ (guarded by the two-factor
# requirement). Included at the site root.
urlpatterns = [
    # asking online and the asker's own pages
    path("consultations/ask/", asker.ask, name="ask"),
    path("consultations/ask/thanks/", asker.thanks, name="thanks"),
    path("consultations/mine/", asker.my_cases, name="my_cases"),
    path("consultations/mine/<id:pk>/", asker.my_case, name="my_case"),
    # staff
    path("staff/consultations/", staff.dashboard, name="dashboard"),
    path("staff/consultations/cases/", staff.case_list, name="case_list"),
    path("staff/consultations/cases/export.csv", staff.case_export, name="case_export"),
    path("staff/consultations/cases/new/", staff.case_create, name="case_create"),
    path("staff/consultations/cases/<id:pk>/", staff.case_detail, name="case_detail"),
    path("staff/consultations/cases/<id:pk>/edit/", staff.case_edit, name="case_edit"),
    path("staff/consultations/cases/<id:pk>/notes/", staff.case_notes, name="case_notes"),
    path("staff/consultations/cases/<id:pk>/status/", staff.case_status, name="case_status"),
    path("staff/consultations/cases/<id:pk>/entries/", staff.entry_add, name="entry_add"),
    path("staff/consultations/cases/<id:pk>/parties/", staff.party_add, name="party_add"),
    path("staff/consultations/cases/<id:pk>/outcomes/", staff.outcome_add, name="outcome_add"),
    path("staff/consultations/cases/<id:pk>/follow-ups/", staff.followup_add, name="followup_add"),
    path(
        "staff/consultations/follow-ups/<id:followup_pk>/done/",
        staff.followup_done,
        name="followup_done",
    ),
    path(
        "staff/consultations/cases/<id:pk>/attachments/<id:attachment_pk>/",
        staff.attachment_download,
        name="attachment_download",
    ),
    path("staff/consultations/cases/<id:pk>/access-log/", stats.access_log, name="access_log"),
    path("staff/consultations/statistics/", stats.statistics, name="statistics"),
    path("staff/consultations/statistics.csv", stats.statistics_export, name="statistics_export"),
    path("staff/consultations/retention/", stats.retention, name="retention"),
]
