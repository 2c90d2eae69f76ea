"""Public pages of 協働事業提案 and the organization's own proposals (views/public.py,
views/organization.py)."""

from django.urls import path

from proposals.views import organization, pdf, public

app_name = "proposals"

urlpatterns = [
    # the public
    path("proposals/", public.index, name="index"),
    path("proposals/rounds/<id:pk>/", public.round_detail, name="round"),
    path("proposals/rounds/<id:pk>/guide/", public.round_guide, name="round_guide"),
    path("proposals/rounds/<id:pk>/results/", public.results, name="results"),
    # the organization
    path("proposals/mine/", organization.mine, name="mine"),
    path("proposals/rounds/<id:pk>/new/", organization.create, name="create"),
    path("proposals/<id:pk>/", organization.detail, name="detail"),
    path("proposals/<id:pk>/edit/", organization.edit, name="edit"),
    path("proposals/<id:pk>/attachments/", organization.attachment_add, name="attachment_add"),
    path(
        "proposals/<id:pk>/attachments/<id:attachment_pk>/remove/",
        organization.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "proposals/<id:pk>/attachments/<id:attachment_pk>/",
        organization.attachment_download,
        name="attachment",
    ),
    path("proposals/<id:pk>/submit/", organization.submit, name="submit"),
    path("proposals/<id:pk>/withdraw/", organization.withdraw, name="withdraw"),
    path("proposals/<id:pk>/letter/", organization.letter, name="letter"),
    path("proposals/<id:pk>/agreement/", organization.agreement, name="agreement"),
    path("proposals/<id:pk>/submitted.pdf", pdf.submitted, name="submitted_pdf"),
]
