"""Reviewers' pages (/review/…, two-factor required by accounts.middleware): the list of a
stage, the score sheet, conflict declarations, the department's opinion, the chair's
dashboard (views/review.py, views/dashboard.py, PDFs in views/pdf.py)."""

from django.urls import path

from proposals.views import dashboard, pdf, review

app_name = "proposals_review"

urlpatterns = [
    path("review/proposals/", review.home, name="home"),
    path("review/proposals/stages/<id:pk>/", review.stage, name="stage"),
    path("review/proposals/stages/<id:pk>/p/<id:proposal_pk>/", review.score, name="score"),
    path(
        "review/proposals/stages/<id:pk>/p/<id:proposal_pk>/declare/",
        review.declare,
        name="declare",
    ),
    path(
        "review/proposals/stages/<id:pk>/p/<id:proposal_pk>/total/",
        review.total,
        name="total",
    ),
    path(
        "review/proposals/stages/<id:pk>/p/<id:proposal_pk>/submit/",
        review.submit,
        name="submit",
    ),
    path(
        "review/proposals/stages/<id:pk>/p/<id:proposal_pk>/reopen/",
        review.reopen,
        name="reopen",
    ),
    path(
        "review/proposals/stages/<id:pk>/p/<id:proposal_pk>/files/<id:attachment_pk>/",
        review.attachment,
        name="attachment",
    ),
    path(
        "review/proposals/stages/<id:pk>/p/<id:proposal_pk>/packet.pdf",
        pdf.packet,
        name="packet_pdf",
    ),
    path(
        "review/proposals/stages/<id:pk>/p/<id:proposal_pk>/sheet.pdf",
        pdf.score_sheet,
        name="score_sheet_pdf",
    ),
    path("review/proposals/opinions/<id:proposal_pk>/", review.opinion, name="opinion"),
    path("review/proposals/stages/<id:pk>/dashboard/", dashboard.dashboard, name="dashboard"),
    path(
        "review/proposals/stages/<id:pk>/p/<id:proposal_pk>/chair-declare/",
        dashboard.chair_declare,
        name="chair_declare",
    ),
    path(
        "review/proposals/stages/<id:pk>/dashboard.csv",
        dashboard.dashboard_csv,
        name="dashboard_csv",
    ),
    path("review/proposals/stages/<id:pk>/summary/", pdf.summary, name="summary"),
    path("review/proposals/stages/<id:pk>/summary.pdf", pdf.summary_pdf, name="summary_pdf"),
    path(
        "review/proposals/rounds/<id:pk>/declarations/",
        dashboard.declarations,
        name="declarations",
    ),
]
