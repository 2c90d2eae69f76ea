"""Pages of the 協働事業評価: the public results, and those taking part (views.py)."""

from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("evaluations/", views.index, name="index"),
    path("evaluations/results/<id:pk>/", views.report, name="report"),
    path("evaluations/results/<id:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("evaluations/mine/", views.mine, name="mine"),
    path("evaluations/<id:pk>/", views.detail, name="detail"),
    path("evaluations/<id:pk>/targets/", views.targets, name="targets"),
    path("evaluations/<id:pk>/results/", views.results, name="results"),
    path("evaluations/<id:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evaluations/<id:pk>/evidence/<id:evidence_pk>/", views.evidence, name="evidence"),
    path(
        "evaluations/<id:pk>/evidence/<id:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("evaluations/<id:pk>/sheet/", views.sheet, name="sheet"),
    path("evaluations/<id:pk>/summary/", views.summary, name="summary"),
]
