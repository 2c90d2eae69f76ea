"""The backoffice in Japanese shows no English field names.

A model field without a verbose name shows its attribute name ("resource", "booked by",
"created at") on Japanese admin pages, and the admin's filters read "resource で絞り込む".
Every field of every model of ours (foreign keys, the columns simple-history adds, the models'
own names) has a translated verbose name; every label of every admin form and filter is checked
in Japanese.
"""

import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, get_fields_from_path, label_for_field
from django.core.exceptions import FieldError
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from tests.factories import UserFactory

OUR_APPS = {
    "accounts",
    "consultations",
    "events",
    "facilities",
    "kyodo",
    "organizations",
    "proposals",
    "publications",
}
# Abbreviations that stay in Latin letters in Japanese too.
LATIN_ALLOWED = re.compile(r"(?<![A-Za-z])(?:PDF|CSV|URL|FAX|ID|SNS|iCal|T)(?![A-Za-z])")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _our_models():
    return [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]


def _english_left(label) -> str | None:
    text = LATIN_ALLOWED.sub("", str(label))
    return text if LATIN_WORD.search(text) else None


def test_every_field_and_model_of_ours_has_a_translated_name():
    missing = []
    for model in _our_models():
        meta = model._meta
        for attribute in ("verbose_name", "verbose_name_plural"):
            if not isinstance(getattr(meta, attribute), Promise):
                missing.append(f"{meta.label}.Meta.{attribute}")
        for field in meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # reverse relations are named by the other side
            if getattr(field, "primary_key", False) and field.name == "id":
                continue
            if not isinstance(field.verbose_name, Promise):
                missing.append(f"{meta.label}.{field.name}")
    assert missing == []


def test_simple_historys_own_columns_read_in_japanese():
    from facilities.models import Booking

    history = Booking.history.model._meta
    with translation.override("ja"):
        assert str(history.get_field("history_date").verbose_name) == "変更日時"
        assert str(history.get_field("history_user").verbose_name) == "変更者"
        assert str(history.get_field("resource").verbose_name) == "施設・設備"


@pytest.fixture
def admin_request(rf, db):
    request = rf.get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    # Some inlines narrow their choices by the object in the URL; an add page has none.
    request.resolver_match = SimpleNamespace(kwargs={})
    return request


def _labels(model_admin, model, request):
    """(where, label) of every field on the admin's add form, its inlines and its filters."""
    try:
        form = model_admin.get_form(request)()
    except FieldError:
        # An admin whose form needs an object (its read-only fields are only read-only on
        # a change page): its model fields are still labelled below, through the model.
        form = None
    for name in flatten_fieldsets(model_admin.get_fieldsets(request)):
        if form is not None and name in form.fields:
            yield name, form.fields[name].label
        else:
            yield name, label_for_field(name, model, model_admin)
    for list_filter in model_admin.get_list_filter(request):
        if isinstance(list_filter, str | tuple):
            path = list_filter if isinstance(list_filter, str) else list_filter[0]
            # The admin titles a filter by the last field of its path ("stage__round").
            yield f"filter {path}", get_fields_from_path(model, path)[-1].verbose_name
        else:
            yield f"filter {list_filter.__name__}", list_filter.title
    for inline in model_admin.get_inline_instances(request):
        inline_form = inline.get_formset(request).form()
        for name in flatten_fieldsets(inline.get_fieldsets(request)):
            label = label_for_field(name, inline.model, inline, form=inline_form)
            yield f"{inline.model.__name__}.{name}", label


def test_every_admin_form_and_filter_label_is_japanese(admin_request):
    english = []
    with translation.override("ja"):
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label not in OUR_APPS:
                continue
            for where, label in _labels(model_admin, model, admin_request):
                if _english_left(label):
                    english.append(f"{model._meta.label} {where}: {label}")
    assert english == [], "\n".join(english)


def test_the_bookings_filter_reads_in_japanese(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    client.cookies["django_language"] = "ja"

    page = client.get(reverse("admin:facilities_booking_changelist")).content.decode()

    assert "施設・設備 で絞り込む" in page
    assert re.search(r"[A-Za-z]+\s*で絞り込む", page) is None
