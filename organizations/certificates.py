"""The 登録証 (registration certificate) PDF: issued once per organization and validity."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from kyodo.services import document_request
from organizations.models import RegistrationCertificate

CERTIFICATE_KIND = "registration_certificate"


@transaction.atomic
def certificate_issue(*, organization, by=None) -> RegistrationCertificate:
    """Issue the certificate for the organization's current validity, unless it exists.
    Side effects: a GeneratedDocument rendered by a task after the commit."""
    existing = RegistrationCertificate.objects.filter(
        organization=organization, valid_until=organization.valid_until
    ).first()
    if existing is not None:
        return existing
    document = document_request(
        kind=CERTIFICATE_KIND,
        template_name="pdf/registration_certificate.html",
        filename=f"registration-certificate-{organization.registration_number}.pdf",
        language="ja",
        by=by,
    )
    try:
        with transaction.atomic():
            return RegistrationCertificate.objects.create(
                organization=organization,
                registration_number=organization.registration_number,
                valid_until=organization.valid_until,
                issued_on=timezone.localdate(),
                document=document,
            )
    except IntegrityError:  # issued by a concurrent approval in the meantime
        return RegistrationCertificate.objects.get(
            organization=organization, valid_until=organization.valid_until
        )


def certificate_context(document) -> dict:
    from kyodo.selectors import center_profile

    certificate = RegistrationCertificate.objects.select_related("organization").get(
        document=document
    )
    return {
        "certificate": certificate,
        "organization": certificate.organization,
        "center": center_profile(),
    }
