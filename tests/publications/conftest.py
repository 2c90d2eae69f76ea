import datetime as dt

import pytest
from django.utils import timezone

from publications import services
from publications.enums import GrantStatus, NewsCategory
from publications.models import GrantListing, NewsItem
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory


def news(title="お知らせ", *, days_ago=1, category=NewsCategory.CENTER, **fields):
    """A news item published ``days_ago`` days ago (None: a draft), saved by the service."""
    publish_at = None if days_ago is None else timezone.now() - dt.timedelta(days=days_ago)
    item = NewsItem(
        title=title,
        category=category,
        body=fields.pop("body", "<p>本文</p>"),
        publish_at=fields.pop("publish_at", publish_at),
        **fields,
    )
    return services.news_save(item=item)


def grant(programme="地域活動助成", *, days=20, fields=(), **values):
    """A published grant listing whose deadline is ``days`` days from today."""
    values.setdefault("funder", "公益財団法人テスト財団")
    values.setdefault("eligibility", "市民活動団体")
    values.setdefault("status", GrantStatus.PUBLISHED)
    listing = GrantListing(
        programme=programme, deadline=timezone.localdate() + dt.timedelta(days=days), **values
    )
    return services.grant_save(listing=listing, fields=list(fields))


@pytest.fixture
def persons(db):
    """anonymous, a signed-in person of no group, a member of a registered group, and staff."""
    member = MembershipFactory(organization=OrganizationFactory(), role="member").user
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": member,
        "staff": StaffFactory(),
    }


def log_in(client, user):
    if user is not None:
        client.force_login(user)
    return client
