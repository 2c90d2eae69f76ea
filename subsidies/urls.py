"""Public pages of the subsidy and the organization's own applications."""

from django.urls import path

from subsidies.views import organization, public

app_name = "subsidies"

urlpatterns = [
    # the public
    path("subsidies/", public.index, name="index"),
    path("subsidies/programmes/<id:pk>/", public.programme_detail, name="programme"),
    path("subsidies/programmes/<id:pk>/guide/", public.programme_guide, name="programme_guide"),
    path(
        "subsidies/programmes/<id:pk>/forms/<id:form_pk>/",
        public.programme_form,
        name="programme_form",
    ),
    # the organization
    path("subsidies/mine/", organization.mine, name="mine"),
    path("subsidies/programmes/<id:pk>/apply/", organization.create, name="create"),
    path("subsidies/applications/<id:pk>/", organization.detail, name="detail"),
    path("subsidies/applications/<id:pk>/edit/", organization.edit, name="edit"),
    path(
        "subsidies/applications/<id:pk>/files/",
        organization.attachment_add,
        name="attachment_add",
    ),
    path(
        "subsidies/applications/<id:pk>/files/<id:attachment_pk>/",
        organization.attachment_download,
        name="attachment",
    ),
    path(
        "subsidies/applications/<id:pk>/files/<id:attachment_pk>/remove/",
        organization.attachment_remove,
        name="attachment_remove",
    ),
    path("subsidies/applications/<id:pk>/submit/", organization.submit, name="submit"),
    path("subsidies/applications/<id:pk>/withdraw/", organization.withdraw, name="withdraw"),
    path("subsidies/applications/<id:pk>/letter/", organization.letter, name="letter"),
    path(
        "subsidies/applications/<id:pk>/advance/",
        organization.advance_request,
        name="advance_request",
    ),
]
