from django.urls import path

from organizations.views import applicant, members, public, staff

app_name = "organizations"

# Public and member pages live under /organizations/, staff pages under /staff/ (which
# the two-factor requirement guards). Included at the site root.
urlpatterns = [
    # public directory (団体紹介)
    path("organizations/directory/", public.directory, name="directory"),
    path("organizations/directory/<id:pk>/", public.directory_detail, name="directory_detail"),
    # applicant and members
    path("organizations/apply/", applicant.apply, name="apply"),
    path("organizations/<id:pk>/", applicant.detail, name="detail"),
    path("organizations/<id:pk>/edit/", applicant.edit, name="edit"),
    path("organizations/<id:pk>/publication/", applicant.publication, name="publication"),
    path("organizations/<id:pk>/resubmit/", applicant.resubmit, name="resubmit"),
    path("organizations/<id:pk>/withdraw/", applicant.withdraw, name="withdraw"),
    path("organizations/<id:pk>/renew/", applicant.renew, name="renew"),
    path("organizations/<id:pk>/documents/", applicant.document_upload, name="document_upload"),
    path(
        "organizations/<id:pk>/documents/<id:document_pk>/",
        applicant.document_download,
        name="document_download",
    ),
    path(
        "organizations/<id:pk>/documents/<id:document_pk>/delete/",
        applicant.document_delete,
        name="document_delete",
    ),
    path(
        "organizations/<id:pk>/certificate/",
        applicant.certificate_download,
        name="certificate_download",
    ),
    path("organizations/<id:pk>/members/", members.member_list, name="members"),
    path("organizations/<id:pk>/members/invite/", members.invite, name="invite"),
    path(
        "organizations/<id:pk>/members/invitations/<id:invitation_pk>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organizations/<id:pk>/members/<id:membership_pk>/role/",
        members.change_role,
        name="change_role",
    ),
    path(
        "organizations/<id:pk>/members/<id:membership_pk>/remove/",
        members.remove,
        name="remove_member",
    ),
    path(
        "organizations/<id:pk>/members/<id:membership_pk>/hand-over/",
        members.hand_over,
        name="hand_over",
    ),
    path(
        "organizations/<id:pk>/members/<id:membership_pk>/contact/",
        members.set_contact,
        name="set_contact",
    ),
    path("organizations/<id:pk>/leave/", members.leave, name="leave"),
    path("organizations/<id:pk>/act-for/", members.act_for, name="act_for"),
    path("organizations/invitations/<str:token>/", members.invitation, name="invitation"),
    # staff (センター職員)
    path("staff/organizations/", staff.organization_list, name="staff_list"),
    path("staff/organizations/export.csv", staff.organization_export, name="staff_export"),
    path("staff/organizations/review/", staff.review_list, name="review_list"),
    path(
        "staff/organizations/applications/<id:application_pk>/",
        staff.application_review,
        name="application_review",
    ),
    path("staff/organizations/changes/<id:change_pk>/", staff.change_review, name="change_review"),
    path("staff/organizations/<id:pk>/", staff.organization_360, name="staff_detail"),
    path("staff/organizations/<id:pk>/suspend/", staff.suspend, name="suspend"),
    path("staff/organizations/<id:pk>/reinstate/", staff.reinstate, name="reinstate"),
]
