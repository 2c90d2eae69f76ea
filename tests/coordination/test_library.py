"""The documents library: only published documents, members-only ones for members, versions
kept with the latest shown, the lookup by slug, downloads, and constant query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination import library
from coordination.models import LibraryCategory, LibraryDocument, LibraryVersion
from kyodo.exceptions import DomainError
from tests.coordination.conftest import manager_of
from tests.factories import OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdf(text="v"):
    return SimpleUploadedFile("manual.pdf", b"%PDF-1.4\n" + text.encode(), "application/pdf")


def make_document(slug="kyodo-manual", *, versions=1, staff=None, **fields):
    category, _ = LibraryCategory.objects.get_or_create(name="手引き")
    document = LibraryDocument.objects.create(
        slug=slug,
        # Not a word the page says by itself (its introduction names the 協働マニュアル).
        title=fields.pop("title", "協働の進め方ハンドブック"),
        category=category,
        is_published=fields.pop("is_published", True),
        **fields,
    )
    staff = staff or StaffFactory()
    for n in range(versions):
        library.version_add(
            document=document, by=staff, upload=pdf(f"v{n + 1}"), note=f"第{n + 1}版"
        )
    return document


@pytest.fixture
def people():
    return {
        "anonymous": None,
        "visitor": UserFactory(),
        "member": manager_of(OrganizationFactory()),
        "staff": StaffFactory(),
    }


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_versions_are_numbered_and_kept_with_the_latest_shown(client):
    document = make_document(versions=3)
    assert list(document.versions.values_list("number", flat=True)) == [3, 2, 1]
    page = client.get(reverse("library:document", args=[document.slug]))
    assert page.context["latest"].number == 3
    assert [v.number for v in page.context["older"]] == [2, 1]
    oldest = document.versions.get(number=1)
    response = client.get(reverse("library:version", args=[oldest.pk]))
    assert response.status_code == 200 and b"v1" in b"".join(response.streaming_content)


def test_only_staff_publish_versions():
    document = make_document()
    with pytest.raises(DomainError):
        library.version_add(document=document, by=UserFactory(), upload=pdf())
    assert document.versions.count() == 1


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, {"anonymous": 200, "visitor": 200, "member": 200, "staff": 200}),
        ({"members_only": True}, {"anonymous": 404, "visitor": 404, "member": 200, "staff": 200}),
        ({"is_published": False}, {"anonymous": 404, "visitor": 404, "member": 404, "staff": 404}),
    ],
)
def test_who_may_read_a_document_and_its_files(client, people, fields, expected):
    document = make_document(**fields)
    version = document.versions.get()
    for name, url in (
        ("page", reverse("library:document", args=[document.slug])),
        ("file", reverse("library:version", args=[version.pk])),
    ):
        got = {role: _get(client, people[role], url).status_code for role in expected}
        assert got == expected, name
    listed = {
        role: document.title
        in _get(client, people[role], reverse("library:documents")).content.decode()
        for role in expected
    }
    assert listed == {role: status == 200 for role, status in expected.items()}


def test_a_document_without_any_version_is_not_shown(client):
    document = make_document(versions=0)
    assert client.get(reverse("library:document", args=[document.slug])).status_code == 404


def test_pillars_link_a_document_by_its_stable_name():
    make_document(slug="proposal-form")
    make_document(slug="members-guide", members_only=True)
    template = Template(
        '{% load library %}{% library_url "proposal-form" %}|{% library_url "members-guide" %}'
        '|{% library_url "no-such-form" %}'
    )
    assert template.render(Context()) == "/library/proposal-form/||"


def test_the_library_list_takes_the_same_queries_for_one_document_or_many(
    client, django_assert_num_queries
):
    staff = StaffFactory()
    make_document(staff=staff)
    client.get(reverse("library:documents"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("library:documents"))
    for n in range(5):
        make_document(slug=f"form-{n}", title=f"様式{n}", versions=2, staff=staff)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("library:documents"))
    assert len(response.context["page"].object_list) == 6
    assert LibraryVersion.objects.count() == 11
