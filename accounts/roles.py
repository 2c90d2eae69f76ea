"""Roles are groups (DESIGN.md): made by a data migration, looked up by their stable name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name in the database; the label is what users read.
    CENTER_STAFF = "センター職員", _("Center staff")
    WARD_OFFICIAL = "区職員", _("Ward official")
    COUNCIL_MEMBER = "協働推進会議委員", _("Council member")
    # Center staff who also see the log of who read consultation notes and run the retention
    # deletion (a person has both this and センター職員).
    CENTER_MANAGER = "センター責任者", _("Center manager")


# Apps whose models the センター職員 group may manage in the backoffice. Later apps add theirs.
STAFF_MANAGED_APPS = {
    "kyodo",
    "accounts",
    "organizations",
    "consultations",
    "facilities",
    "proposals",
    "coordination",
    "publications",
}
# Permissions kept for the センター責任者 role (app label, codename).
MANAGER_PERMISSIONS = {
    ("consultations", "view_access_log"),
    ("consultations", "anonymize_case"),
    ("consultations", "view_noteaccess"),
    ("consultations", "view_retentionrun"),
}


def grant_staff_permissions(sender=None, using="default", **kwargs):
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    manager_only = Q(pk__in=[])
    for app_label, codename in MANAGER_PERMISSIONS:
        manager_only |= Q(content_type__app_label=app_label, codename=codename)
    permissions = (
        Permission.objects.using(using)
        .filter(content_type__app_label__in=STAFF_MANAGED_APPS)
        .exclude(content_type__app_label="accounts", codename="delete_user")
    )
    staff, _created = Group.objects.using(using).get_or_create(name=Role.CENTER_STAFF)
    staff.permissions.add(*permissions.exclude(manager_only))
    staff.permissions.remove(*permissions.filter(manager_only))
    manager, _created = Group.objects.using(using).get_or_create(name=Role.CENTER_MANAGER)
    manager.permissions.add(*Permission.objects.using(using).filter(manager_only))
