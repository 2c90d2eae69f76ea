from django.urls import path

from organizations.views import applicant, members, public, staff

app_name = "organizations"

# Public and member pages live under /organizations/, staff pages under /staff/ (which
# the two-factor requirement guards). Included at the site root.
urlpatterns = [
    # public directory (団体紹介)
    path("organizations/directory/", public.directory, name="directory"),
    path("organizations/directory/<int:pk>/", public.directory_detail, name="directory_detail"),
    # applicant and members
    path("organizations/apply/", applicant.apply, name="apply"),
    path("organizations/<int:pk>/", applicant.detail, name="detail"),
    path("organizations/<int:pk>/edit/", applicant.edit, name="edit"),
    path("organizations/<int:pk>/publication/", applicant.publication, name="publication"),
    path("organizations/<int:pk>/resubmit/", applicant.resubmit, name="resubmit"),
    path("organizations/<int:pk>/withdraw/", applicant.withdraw, name="withdraw"),
    path("organizations/<int:pk>/renew/", applicant.renew, name="renew"),
    path("organizations/<int:pk>/documents/", applicant.document_upload, name="document_upload"),
    path(
        "organizations/<int:pk>/documents/<int:document_pk>/",
        applicant.document_download,
        name="document_download",
    ),
    path(
        "organizations/<int:pk>/documents/<int:document_pk>/delete/",
        applicant.document_delete,
        name="document_delete",
    ),
    path(
        "organizations/<int:pk>/certificate/",
        applicant.certificate_download,
        name="certificate_download",
    ),
    path("organizations/<int:pk>/members/", members.member_list, name="members"),
    path("organizations/<int:pk>/members/invite/", members.invite, name="invite"),
    path(
        "organizations/<int:pk>/members/invitations/<int:invitation_pk>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/role/",
        members.change_role,
        name="change_role",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/remove/",
        members.remove,
        name="remove_member",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/hand-over/",
        members.hand_over,
        name="hand_over",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/contact/",
        members.set_contact,
        name="set_contact",
    ),
    path("organizations/<int:pk>/leave/", members.leave, name="leave"),
    path("organizations/<int:pk>/act-for/", members.act_for, name="act_for"),
    path("organizations/invitations/<str:token>/", members.invitation, name="invitation"),
    # staff (センター職員)
    path("staff/organizations/", staff.organization_list, name="staff_list"),
    path("staff/organizations/export.csv", staff.organization_export, name="staff_export"),
    path("staff/organizations/review/", staff.review_list, name="review_list"),
    path(
        "staff/organizations/applications/<int:application_pk>/",
        staff.application_review,
        name="application_review",
    ),
    path("staff/organizations/changes/<int:change_pk>/", staff.change_review, name="change_review"),
    path("staff/organizations/<int:pk>/", staff.organization_360, name="staff_detail"),
    path("staff/organizations/<int:pk>/suspend/", staff.suspend, name="suspend"),
    path("staff/organizations/<int:pk>/reinstate/", staff.reinstate, name="reinstate"),
]
