"""The documents library: reads, the one write (a new version), and the lookup by slug that
other pillars' pages use to link their forms from here instead of holding a copy."""

from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.rules import is_center_staff
from coordination.models import LibraryDocument, LibraryVersion
from kyodo.exceptions import DomainError


def is_library_member(user) -> bool:
    """Members-only documents: people of a validly registered group, and staff."""
    if is_center_staff(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    from organizations.selectors import valid_organizations

    return valid_organizations().filter(memberships__user=user).exists()


def documents_visible_to(user):
    """Published documents with at least one version; members-only ones for members."""
    documents = LibraryDocument.objects.filter(is_published=True, versions__isnull=False)
    if not is_library_member(user):
        documents = documents.filter(members_only=False)
    latest = LibraryVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    return (
        documents.distinct()
        .select_related("category")
        .annotate(
            latest_number=Max("versions__number"),
            latest_pk=Subquery(latest.values("pk")[:1]),
            latest_uploaded_at=Subquery(latest.values("uploaded_at")[:1]),
        )
        .order_by("category__order", "title", "pk")
    )


def document_for(user, slug):
    return documents_visible_to(user).filter(slug=slug).first()


def version_for(user, pk):
    version = LibraryVersion.objects.select_related("document").filter(pk=pk).first()
    if version is None or document_for(user, version.document.slug) is None:
        return None
    return version


def library_url(slug: str) -> str:
    """The address of a published, public document's page, or "" when there is none: what a
    pillar's page links to (``{% library_url "kyodo-manual" %}``)."""
    exists = LibraryDocument.objects.filter(
        slug=slug, is_published=True, members_only=False, versions__isnull=False
    ).exists()
    return reverse("library:document", args=[slug]) if exists else ""


@transaction.atomic
def version_add(*, document: LibraryDocument, by, upload, note: str = "") -> LibraryVersion:
    """A new version of the document: numbered one past the last, earlier ones kept. Two
    uploads at once cannot take the same number (unique constraint; the loser retries)."""
    if not is_center_staff(by):
        raise DomainError(_("Only center staff publish documents."))
    for _attempt in range(5):
        last = document.versions.aggregate(last=Max("number"))["last"] or 0
        version = LibraryVersion(
            document=document,
            number=last + 1,
            original_name=upload.name[:200],
            size=upload.size,
            note=note,
            uploaded_by=by,
        )
        try:
            with transaction.atomic():
                version.file.save(upload.name, upload, save=False)
                version.save()
                return version
        except IntegrityError:
            continue
    raise DomainError(_("The version could not be numbered. Try again."))
