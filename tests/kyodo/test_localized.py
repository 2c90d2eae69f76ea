"""Names staff enter, in the reader's language: one rule (kyodo.localized) for every model.

The English name is shown in the English interface when there is one; the Japanese name is the
name of record and the fallback. The fixed lists made by data migrations carry English names.
"""

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from consultations.models import Category
from facilities.models import Resource, TimeSlot
from kyodo.localized import localized, localized_lazy
from kyodo.models import CenterProfile
from organizations.models import ActivityField
from proposals.models import Criterion
from tests.factories import RoundFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_english_name_is_shown_in_english_and_the_japanese_one_otherwise():
    room = Resource(name="会議室", name_en="Meeting room")
    with translation.override("en"):
        assert room.display_name == str(room) == "Meeting room"
    with translation.override("ja"):
        assert room.display_name == str(room) == "会議室"


def test_without_an_english_name_the_japanese_one_is_shown():
    room = Resource(name="和室", name_en="  ")
    with translation.override("en"):
        assert room.display_name == "和室"


def test_the_template_filter_takes_any_field_with_an_english_twin():
    center = CenterProfile(name="協働ステーション中央", address="中央区", address_en="Chuo City")
    template = Template('{% load kyodo_tags %}{{ center|localized:"address" }}')
    with translation.override("en"):
        assert template.render(Context({"center": center})) == "Chuo City"
    with translation.override("ja"):
        assert template.render(Context({"center": center})) == "中央区"


def test_a_lazy_name_is_picked_when_it_is_rendered_not_when_it_is_made():
    room = Resource(name="会議室", name_en="Meeting room")
    with translation.override("en"):
        later = localized_lazy(room)
    with translation.override("ja"):
        assert str(later) == "会議室"
    with translation.override("en"):
        assert str(later) == "Meeting room"
    assert localized(None) == ""


def test_choice_labels_follow_the_language():
    field = forms.ModelChoiceField(queryset=Category.objects.order_by("order"))
    with translation.override("en"):
        english = [label for _value, label in field.choices][1:]
    with translation.override("ja"):
        japanese = [label for _value, label in field.choices][1:]
    assert english and english != japanese
    assert all(label.isascii() for label in english)


def test_the_fixed_lists_have_english_names():
    assert Resource.objects.get(name="会議室").name_en == "Meeting room"
    assert Resource.objects.get(name="サロン").name_en == "Salon"
    assert Resource.objects.get(name="輪転機").name_en == "Stencil duplicator"
    assert Resource.objects.get(name="プロジェクター").name_en == "Projector"
    slots = dict(TimeSlot.objects.values_list("name", "name_en").distinct())
    assert slots == {"午前": "Morning", "午後": "Afternoon", "夜間": "Evening", "全日": "Full day"}
    assert not ActivityField.objects.filter(name_en="").exists()
    assert ActivityField.objects.get(number=8).name_en == "Disaster relief activities"
    assert not Category.objects.filter(name_en="").exists()
    center = CenterProfile.objects.get()
    assert center.name_en == "Kyodo Station Chuo"
    assert center.address_en.endswith("Chuo-ku, Tokyo")


def test_the_footer_shows_the_center_in_the_readers_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert "Kyodo Station Chuo" in english
    assert "Nihonbashi-Kodenmacho" in english
    assert "協働ステーション中央" not in english.split("<footer", 1)[1]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    japanese = client.get("/").content.decode()
    assert "協働ステーション中央" in japanese.split("<footer", 1)[1]


def test_rooms_and_slots_are_in_english_on_the_booking_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    listing = client.get(reverse("facilities:resource_list")).content.decode()
    assert "Meeting room" in listing and "Morning" in listing and "Stencil duplicator" in listing
    assert "会議室" not in listing and "午前" not in listing


def test_the_criteria_of_a_call_are_in_english_on_its_page(client):
    call = RoundFactory()
    criterion = Criterion.objects.get(round=call, name="予算の妥当性")  # not in any description
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("proposals:round", args=[call.pk])).content.decode()
    assert criterion.name_en in page
    assert criterion.name not in page


def test_the_staff_case_form_offers_the_categories_in_english(client):
    client.force_login(StaffFactory())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("consultations:case_create")).content.decode()
    category = Category.objects.order_by("order").first()
    assert category.name_en in page
    assert category.name not in page


def test_the_profile_names_the_language_in_the_interfaces_language(client):
    client.force_login(UserFactory(language="ja"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accounts:mypage")).content.decode()
    assert "Japanese" in page
    assert "日本語</dd>" not in page


def test_public_holidays_are_named_in_the_readers_language():
    import datetime as dt

    from kyodo.dates import center_day, holiday_label

    coming_of_age = dt.date(2027, 1, 11)  # 成人の日, a Monday
    with translation.override("en"):
        assert holiday_label(coming_of_age) == "Coming of Age Day"
        assert center_day(coming_of_age).holiday == "Coming of Age Day"
    with translation.override("ja"):
        assert holiday_label(coming_of_age) == "成人の日"
