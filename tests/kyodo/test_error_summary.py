"""A form sent back with errors opens with a summary linking to each field, which a small
static script focuses (no inline script: CSP); a file chosen in a form with errors is asked
for again next to its field."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from organizations.models import Organization
from tests.factories import UserFactory
from tests.kyodo.forms_html import page_forms
from tests.organizations.helpers import application_post, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(UserFactory())
    return client


def _summary(html: str) -> str:
    assert html.count("data-error-summary") == 1
    return html.split("data-error-summary", 1)[1].split("</div>", 1)[0]


def test_the_long_application_form_opens_with_a_summary_linking_to_each_error(client):
    response = client.post(
        reverse("organizations:apply"), application_post(name="", email="not-an-address")
    )
    assert response.status_code == 200
    assert not Organization.objects.exists()
    html = response.content.decode()
    summary = _summary(html)
    assert 'href="#id_name"' in summary and 'data-error-field="id_name"' in summary
    assert 'href="#id_email"' in summary
    assert 'id="id_name"' in html and 'id="id_email"' in html  # the links lead somewhere
    # The summary comes first in the form, before any field.
    form = html.split('enctype="multipart/form-data"', 1)[1]
    assert form.index("data-error-summary") < form.index('name="name"')
    opening_tag = html.split("data-error-summary", 1)[0].rsplit("<div", 1)[1]
    assert 'tabindex="-1"' in opening_tag  # it can take the focus


def test_a_chosen_file_is_asked_for_again_next_to_its_field(client):
    response = client.post(
        reverse("organizations:apply"),
        application_post(name="", rules_document=pdf_upload("kiyaku-2026.pdf")),
    )
    html = response.content.decode()
    assert "Choose “kiyaku-2026.pdf” again" in _summary(html)
    field = html.split('id="id_rules_document"', 1)[1]
    assert field.index("Choose “kiyaku-2026.pdf” again") < field.index('id="id_roster_document"')


def test_a_valid_application_with_its_file_is_not_held_up_by_the_reminder(client):
    response = client.post(reverse("organizations:apply"), application_post())
    assert response.status_code == 302
    assert Organization.objects.get().documents.count() == 1


def test_every_crispy_form_has_the_summary_too(client):
    response = client.post(
        reverse("accounts:profile_edit"),
        {"given_name": "花子", "family_name_kana": "山田"},
    )
    summary = _summary(response.content.decode())
    assert 'href="#id_family_name_kana"' in summary and 'href="#id_language"' in summary


def test_a_form_without_errors_has_no_summary(client):
    html = client.get(reverse("organizations:apply")).content.decode()
    assert "data-error-summary" not in html
    assert page_forms(html)


def test_the_focus_moves_by_a_static_script_not_an_inline_one(client):
    html = client.get(reverse("organizations:apply")).content.decode()
    assert '<script src="/static/kyodo/js/forms.js" defer></script>' in html
    assert "<script>" not in html
    script = Path(settings.BASE_DIR, "static/kyodo/js/forms.js").read_text()
    assert 'querySelector("[data-error-summary]")' in script and ".focus()" in script
