"""The English interface shows no Japanese but proper names and data that has no English field.

With the demo data seeded, the main public, member, reviewer and staff pages are rendered in
English; from their visible text (and the labels screen readers read) every text held in a
database field without an English twin is taken out — names of organizations and people,
addresses, what people wrote — and the prefectures (place names). What is left must not contain
kana or kanji: a room, a slot, an activity field, a consultation category, a criterion, a stage
name shown in Japanese, or a Japanese word in an English source string, fails here.
"""

import html
import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from kyodo.text import PREFECTURES

# Hiragana, katakana (full and half width), CJK ideographs and the iteration mark 々.
JAPANESE = re.compile(
    r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々]+"
)
# Language names in their own language (the language switcher, the profile's language choice).
ENDONYMS = ("日本語",)
OUR_APPS = {
    "kyodo",
    "accounts",
    "organizations",
    "consultations",
    "facilities",
    "proposals",
    "evaluations",
    "events",
    "coordination",
    "subsidies",
    "publications",
}
ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-description"}


class _Text(HTMLParser):
    """The text a reader sees or hears: text nodes and the labelling attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(data)


def visible_text(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return [html.unescape(chunk) for chunk in parser.chunks]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def untranslatable_data() -> list[str]:
    """Every text held in a field of ours that has no English twin (``<field>_en``): names of
    organizations and people, addresses, the free text people wrote. Longest first, and line by
    line as well, since pages break long texts into lines."""
    found = set(ENDONYMS)
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        names = {field.name for field in meta.concrete_fields}
        taken = [
            field.name
            for field in meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
            and not field.choices
            and f"{field.name}_en" not in names
            and not field.name.endswith("_en")
        ]
        if not taken:
            continue
        for row in model.objects.values_list(*taken):
            for value in row:
                for text in _strings(value):
                    if text and JAPANESE.search(text):
                        found.add(text.strip())
                        found.update(line.strip() for line in text.splitlines() if line.strip())
                        found.update(part for part in re.split(r"\s+", text) if part)
    return sorted(found, key=len, reverse=True)


def japanese_left(page: str, allowed: list[str]) -> list[str]:
    """The pieces of Japanese in the page's visible text once the allowed texts are removed."""
    left = []
    for chunk in visible_text(page):
        if not JAPANESE.search(chunk):
            continue
        for text in allowed:
            if text in chunk:
                chunk = chunk.replace(text, " ")
                if not JAPANESE.search(chunk):
                    break
        left.extend(JAPANESE.findall(chunk))
    return left


def _pages():
    """(who, url) of the pages to read: the demo's log-ins and what each of them uses."""
    from accounts.models import User
    from consultations.models import Case
    from coordination.models import Meeting, Post
    from evaluations.models import Evaluation, EvaluationReport
    from events.models import Event
    from facilities.models import Booking, Resource
    from proposals.models import Proposal, Round, Stage
    from subsidies.models import Application, Programme

    member = User.objects.get(email="member@demo.kyodo.jp")
    organization = member.memberships.get(role="owner").organization
    stage = Stage.objects.filter(status="open").select_related("round").get()
    current = stage.round
    # last year's call (the evaluations' demo adds an older one)
    past = Round.objects.exclude(pk=current.pk).order_by("-fiscal_year").first()
    scored = Proposal.objects.filter(round=current).exclude(submitted_version=None).first()
    own = Proposal.objects.filter(organization=organization).first()
    booking = Booking.objects.filter(organization=organization).first()
    programme = Programme.objects.order_by("-fiscal_year").first()
    application = Application.objects.filter(organization=organization).first()
    room, printer = Resource.objects.get(name="会議室"), Resource.objects.get(kind="printer")
    course = Event.objects.get(kind="course")
    published_post = Post.objects.filter(status="published").first()
    meeting = Meeting.objects.filter(minutes__status="published").get()
    public = [
        "/",
        reverse("facilities:resource_list"),
        *[
            reverse("facilities:resource_detail", args=[resource.pk]) + view
            for resource in (room, printer)
            for view in ("?view=day", "?view=week", "?view=month")
        ],
        reverse("organizations:directory"),
        reverse("proposals:index"),
        reverse("proposals:round", args=[current.pk]),
        reverse("proposals:round", args=[past.pk]),
        reverse("proposals:results", args=[past.pk]),
        reverse("subsidies:index"),
        reverse("subsidies:programme", args=[programme.pk]),
        reverse("consultations:ask"),
        reverse("evaluations:index"),
        *[reverse("evaluations:report", args=[r.pk]) for r in EvaluationReport.objects.all()],
        reverse("events:event_list"),
        reverse("events:event_calendar"),
        reverse("events:event_archive"),
        reverse("events:event_detail", args=[course.pk]),
        reverse("coordination:board"),
        reverse("coordination:post_detail", args=[published_post.pk]),
        reverse("council:meetings"),
        reverse("council:meeting", args=[meeting.pk]),
        reverse("library:documents"),
        reverse("library:document", args=["kyodo-manual"]),
    ]
    member_pages = [
        reverse("accounts:mypage"),
        reverse("accounts:profile_edit"),
        reverse("organizations:apply"),
        reverse("organizations:detail", args=[organization.pk]),
        reverse("organizations:edit", args=[organization.pk]),
        reverse("organizations:members", args=[organization.pk]),
        reverse("facilities:booking_list"),
        reverse("facilities:booking_create") + f"?resource={room.pk}",
        reverse("facilities:booking_detail", args=[booking.pk]),
        reverse("proposals:mine"),
        reverse("proposals:detail", args=[own.pk]),
        reverse("subsidies:mine"),
        reverse("subsidies:create", args=[programme.pk]),
        reverse("subsidies:detail", args=[application.pk]),
        reverse("subsidies:edit", args=[application.pk]),
        reverse("subsidies:submit", args=[application.pk]),
        reverse("consultations:ask"),
        reverse("consultations:my_cases"),
        reverse("coordination:mine"),
        reverse("coordination:post_create"),
    ]
    reviewer = [
        reverse("accounts:mypage"),
        reverse("proposals_review:home"),
        reverse("proposals_review:stage", args=[stage.pk]),
        reverse("proposals_review:score", args=[stage.pk, scored.pk]),
        reverse("proposals_review:dashboard", args=[stage.pk]),
    ]
    case = Case.objects.order_by("pk").first()
    staff = [
        reverse("accounts:mypage"),
        reverse("facilities_staff:counter"),
        reverse("facilities_staff:booking_list"),
        reverse("facilities_staff:book"),
        reverse("facilities_staff:printer_totals"),
        reverse("consultations:dashboard"),
        reverse("consultations:case_list"),
        reverse("consultations:case_create"),
        reverse("consultations:case_detail", args=[case.pk]),
        reverse("consultations:statistics"),
        reverse("coordination:staff_posts"),
        reverse("coordination:staff_post", args=[published_post.pk]),
        reverse("coordination:staff_statistics"),
        reverse("council:staff_meeting", args=[meeting.pk]),
        reverse("organizations:staff_list"),
        reverse("organizations:review_list"),
        reverse("organizations:staff_detail", args=[organization.pk]),
        reverse("proposals_staff:rounds"),
        reverse("proposals_staff:round", args=[current.pk]),
        reverse("proposals_staff:proposal", args=[scored.pk]),
        reverse("evaluations_staff:index"),
        *[
            url
            for evaluation in Evaluation.objects.order_by("pk")
            for url in (
                reverse("evaluations_staff:detail", args=[evaluation.pk]),
                reverse("evaluations:detail", args=[evaluation.pk]),
                reverse("evaluations:summary", args=[evaluation.pk]),
            )
        ],
        reverse("events_staff:event_list"),
        reverse("events_staff:event_detail", args=[course.pk]),
    ]
    return [
        *[(None, url) for url in public],
        *[("member@demo.kyodo.jp", url) for url in member_pages],
        *[("council@demo.kyodo.jp", url) for url in reviewer],
        ("council@demo.kyodo.jp", reverse("council:member_home")),
        ("council@demo.kyodo.jp", reverse("council:member_meeting", args=[meeting.pk])),
        *[("ward@demo.kyodo.jp", url) for url in reviewer[1:3]],
        *[("staff@demo.kyodo.jp", url) for url in staff],
    ]


@pytest.mark.django_db
def test_the_english_interface_has_no_japanese_but_names_and_untranslated_data(client):
    from accounts.models import User

    call_command("seed_demo", stdout=io.StringIO())
    allowed = sorted({*untranslatable_data(), *PREFECTURES}, key=len, reverse=True)
    problems = []
    current = "nobody"
    for who, url in _pages():
        if who != current:
            client.logout()  # also drops the cookies: the language is set again below
            if who:
                client.force_login(User.objects.get(email=who))
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            current = who
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{who or 'public'} {url}: status {response.status_code}")
            continue
        left = japanese_left(response.content.decode(), allowed)
        if left:
            problems.append(f"{who or 'public'} {url}: {sorted(set(left))}")
    assert problems == [], "\n".join(problems)


def test_the_check_finds_japanese_that_is_not_data():
    page = '<p>Meeting room</p><p aria-label="会議室 午前">x</p><p>日本橋町会 Tokyo</p>'
    assert japanese_left(page, ["日本橋町会"]) == ["会議室", "午前"]
