"""simple-history's "revert" would write an old row back whole, past the services, and it
accepts the POST from anyone who may view the history: every admin with history refuses it."""

import pytest
from django.contrib import admin
from django.urls import reverse

from kyodo.admin_base import HistoryAdmin
from kyodo.models import CenterProfile


def test_every_admin_of_a_model_with_history_uses_the_guarded_class():
    with_history = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if hasattr(model, "history") and hasattr(model._meta, "simple_history_manager_attribute")
    ]
    assert with_history
    unguarded = [type(a).__name__ for a in with_history if not isinstance(a, HistoryAdmin)]
    assert unguarded == []


def test_the_revert_is_refused(client, db):
    from tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    profile = CenterProfile.objects.first()
    name = profile.name
    profile.name = "変更後"
    profile.save()
    first = profile.history.order_by("history_id").first()
    url = reverse("admin:kyodo_centerprofile_simple_history", args=[profile.pk, first.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": name}).status_code == 403
    profile.refresh_from_db()
    assert profile.name == "変更後"


@pytest.fixture(autouse=True)
def _has_profile(db):
    assert CenterProfile.objects.exists()
