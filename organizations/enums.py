from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganizationType(models.TextChoices):
    """種別・法人格 (DOMAIN.md). Staff see the Japanese legal names through the catalogue."""

    NEIGHBOURHOOD_AUTHORISED = "chokai_chien", _("Authorised neighbourhood association")
    NEIGHBOURHOOD = "chokai", _("Neighbourhood association")
    VOLUNTARY = "voluntary", _("Voluntary or volunteer group")
    NPO = "npo", _("Specified non-profit corporation (NPO)")
    CERTIFIED_NPO = "certified_npo", _("Certified NPO")
    GENERAL_ASSOCIATION = "general_association", _("General incorporated association")
    GENERAL_FOUNDATION = "general_foundation", _("General incorporated foundation")
    PUBLIC_ASSOCIATION = "public_association", _("Public interest incorporated association")
    PUBLIC_FOUNDATION = "public_foundation", _("Public interest incorporated foundation")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare corporation")
    SCHOOL = "school", _("School corporation")
    COOPERATIVE = "cooperative", _("Cooperative")
    COMPANY = "company", _("Company (CSR)")


# Types that are a 法人 and so have a 法人番号 (a 認可地縁団体 is given one too).
CORPORATE_TYPES = frozenset(
    {
        OrganizationType.NEIGHBOURHOOD_AUTHORISED,
        OrganizationType.NPO,
        OrganizationType.CERTIFIED_NPO,
        OrganizationType.GENERAL_ASSOCIATION,
        OrganizationType.GENERAL_FOUNDATION,
        OrganizationType.PUBLIC_ASSOCIATION,
        OrganizationType.PUBLIC_FOUNDATION,
        OrganizationType.SOCIAL_WELFARE,
        OrganizationType.SCHOOL,
        OrganizationType.COOPERATIVE,
        OrganizationType.COMPANY,
    }
)


class RegistrationStatus(models.TextChoices):
    """The organization's standing with the center."""

    APPLYING = "applying", _("Applied")  # 申請中 (incl. returned for changes: see Application)
    REGISTERED = "registered", _("Registered")
    REJECTED = "rejected", pgettext_lazy("registration", "Rejected")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")


REGISTRATION_TRANSITIONS = {
    RegistrationStatus.APPLYING: {RegistrationStatus.REGISTERED, RegistrationStatus.REJECTED},
    RegistrationStatus.REGISTERED: {RegistrationStatus.SUSPENDED, RegistrationStatus.EXPIRED},
    RegistrationStatus.SUSPENDED: {RegistrationStatus.REGISTERED, RegistrationStatus.EXPIRED},
    RegistrationStatus.EXPIRED: {RegistrationStatus.REGISTERED},
    RegistrationStatus.REJECTED: set(),
}


class ApplicationKind(models.TextChoices):
    NEW = "new", _("New registration")
    RENEWAL = "renewal", _("Renewal")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("application", "Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


APPLICATION_TRANSITIONS = {
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.APPROVED,
        ApplicationStatus.RETURNED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.RETURNED: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.APPROVED: set(),
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}

OPEN_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED)


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Representative manager")  # 代表管理者
    MANAGER = "manager", _("Manager")  # 管理者
    MEMBER = "member", _("Member")  # メンバー


MANAGING_ROLES = (MemberRole.OWNER, MemberRole.MANAGER)


class DocumentKind(models.TextChoices):
    RULES = "rules", _("Rules or articles of association")  # 規約・定款
    ROSTER = "roster", _("List of officers and members")  # 役員・構成員名簿
    REPORT = "report", _("Last year's activity report and accounts")  # 事業報告・決算
    OTHER = "other", _("Other document")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("change", "Rejected")


class EventKind(models.TextChoices):
    REGISTRATION = "registration", pgettext_lazy("event", "Registration")
    APPLICATION = "application", _("Application")
    CHANGE = "change", _("Change of details")
    MEMBER = "member", _("Members")
    DOCUMENT = "document", _("Documents")


# Fields whose change needs staff approval; other profile fields change at once.
APPROVAL_FIELDS = (
    "name",
    "name_kana",
    "org_type",
    "corporate_number",
    "representative_name",
    "representative_kana",
)

# Fields an organization may choose to show in the public directory.
PUBLISHABLE_FIELDS = (
    "representative_name",
    "address",
    "phone",
    "fax",
    "email",
    "website",
    "sns",
    "member_count",
    "established_on",
    "activity_schedule",
    "activity_area",
)


class EventAction(models.TextChoices):
    """What a timeline entry says happened (shown in the reader's language)."""

    APPLIED_FOR_REGISTRATION = "applied_for_registration", _("Applied for registration")
    REGISTRATION_RENEWED = "registration_renewed", _("Registration renewed")
    APPLIED_FOR_RENEWAL = "applied_for_renewal", _("Applied for renewal")
    DETAILS_UPDATED = "details_updated", _("Details updated")
    CHANGE_SUBMITTED = "change_submitted", _("Change of details submitted for approval")
    DOCUMENT_UPLOADED = "document_uploaded", _("Document uploaded")
    DOCUMENT_REMOVED = "document_removed", _("Document removed")
    MEMBER_INVITED = "member_invited", _("Member invited")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    MEMBER_JOINED = "member_joined", _("Member joined")
    MEMBER_ROLE_CHANGED = "member_role_changed", _("Member's role changed")
    MEMBER_LEFT = "member_left", _("Member left")
    OWNER_HANDED_OVER = "owner_handed_over", _("Representative manager handed over")
    CONTACT_PERSON_CHANGED = "contact_person_changed", _("Contact person changed")
    CHANGE_APPROVED = "change_approved", _("Change of details approved")
    CHANGE_NOT_APPROVED = "change_not_approved", _("Change of details not approved")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    DIRECTORY_SETTINGS_CHANGED = "directory_settings_changed", _("Directory settings changed")
    REMINDER_SENT = "reminder_sent", _("Renewal reminder sent")
