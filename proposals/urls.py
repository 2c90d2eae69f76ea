"""Public pages of 協働事業提案 and the organization's own proposals (views/public.py,
views/organization.py)."""

from django.urls import path

from proposals.views import organization, pdf, public

app_name = "proposals"

urlpatterns = [
    # the public
    path("proposals/", public.index, name="index"),
    path("proposals/rounds/<int:pk>/", public.round_detail, name="round"),
    path("proposals/rounds/<int:pk>/guide/", public.round_guide, name="round_guide"),
    path("proposals/rounds/<int:pk>/results/", public.results, name="results"),
    # the organization
    path("proposals/mine/", organization.mine, name="mine"),
    path("proposals/rounds/<int:pk>/new/", organization.create, name="create"),
    path("proposals/<int:pk>/", organization.detail, name="detail"),
    path("proposals/<int:pk>/edit/", organization.edit, name="edit"),
    path("proposals/<int:pk>/attachments/", organization.attachment_add, name="attachment_add"),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_pk>/remove/",
        organization.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "proposals/<int:pk>/attachments/<int:attachment_pk>/",
        organization.attachment_download,
        name="attachment",
    ),
    path("proposals/<int:pk>/submit/", organization.submit, name="submit"),
    path("proposals/<int:pk>/withdraw/", organization.withdraw, name="withdraw"),
    path("proposals/<int:pk>/letter/", organization.letter, name="letter"),
    path("proposals/<int:pk>/agreement/", organization.agreement, name="agreement"),
    path("proposals/<int:pk>/submitted.pdf", pdf.submitted, name="submitted_pdf"),
]
