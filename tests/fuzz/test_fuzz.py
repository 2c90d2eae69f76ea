"""Property-based fuzzing of every view (issue 17 §5): hostile values in every GET parameter
of every URL, as every role, and in every field of the public and member forms, never give a
server error.

- The URLs come from the resolver, so a new page is fuzzed without being listed.
- The GET parameters come from tests/fuzz/parameters.py; the first test checks that table
  against what the views actually read (tests/fuzz/recording.py), and the admin's change
  lists give theirs from their filters.
- Hypothesis draws a URL, some of its parameters and values for them (huge and negative
  numbers, far and malformed dates, unicode, empty and very long strings, SQL and HTML). It
  is derandomised, so a run is repeatable, and bounded by max_examples to stay near a
  minute on one process; each test builds its data once and every example shares it.
"""

import datetime as dt
import re
from html import unescape as html_unescape
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from consultations import services as consultation_services
from facilities.models import Booking, Resource
from kyodo.bounds import LARGEST_INT
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    OrganizationFactory,
    ProposalFactory,
    StaffFactory,
    StageFactory,
)
from tests.fuzz import recording
from tests.fuzz.parameters import GET_PARAMETERS

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "staff", "reviewer")

# Keys nobody reads as a page's parameter: the probe the meta-test sends, and Django's own.
PROBE = "_probe"

HOSTILE_CONSTANTS = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "+1",
    "1.5",
    "1e309",
    "NaN",
    "0x1F",
    str(LARGEST_INT + 1),
    str(2**63),
    "9" * 40,
    "-" + "9" * 40,
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2026-02-30",
    "2026-13-01",
    "9999-12",
    "0000-01",
    "2026-11-20T25:61",
    "99:99",
    "24:00",
    "１２３",
    "２０２６－１２－０１",
    "٣",
    "😀",
    "\u202e",
    "null",
    "true",
    "[]",
    "' OR 1=1 --",
    "'; DROP TABLE consultations_case; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "%00",
    "../../etc/passwd",
    "a" * 5000,
    "日本語" * 400,
]

HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_CONSTANTS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),  # the whole of Python's calendar, year 1 to 9999
    st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), max_size=300),
)
VALUE = st.one_of(HOSTILE, st.lists(HOSTILE, min_size=2, max_size=3))

# 4 roles x 200 GETs + 2 roles x 150 POSTs: 1,100 generated requests a run.
GET_EXAMPLES_PER_ROLE = 200
POST_EXAMPLES_PER_ROLE = 150
FUZZ_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


# --- the URLs --------------------------------------------------------------------------------


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            pattern = entry.pattern
            keys = list(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
            yield f"{namespace}{entry.name}", keys


def all_routes() -> dict[str, list[str]]:
    return dict(_walk(get_resolver().url_patterns))


class World:
    """One of everything a URL can point at, and a user of each role."""

    def __init__(self):
        self.organization = OrganizationFactory()
        self.owner = MembershipFactory(organization=self.organization, role="owner")
        self.member = self.owner.user
        self.staff = StaffFactory(roles=[Role.CENTER_STAFF, Role.CENTER_MANAGER], is_superuser=True)
        self.reviewer = CouncilMemberFactory()
        self.room = Resource.objects.get(name="会議室")
        start = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0)
        start += dt.timedelta(days=14)
        self.booking = Booking.objects.create(
            resource=self.room,
            organization=self.organization,
            start=start,
            end=start + dt.timedelta(hours=2),
            status="confirmed",
            purpose="定例会",
            booked_by=self.member,
        )
        self.case = consultation_services.case_create(
            by=self.staff,
            title="町会の運営について",
            request="会計の引き継ぎ",
            channel="visit",
            asker=self.member,
            asker_name="日本橋　花子",
        )
        self.followup = consultation_services.followup_add(
            case=self.case,
            by=self.staff,
            description="電話する",
            due_on=timezone.localdate(),
            assignee=self.staff,
        )
        self.stage = StageFactory()
        self.round = self.stage.round
        self.proposal = ProposalFactory(round=self.round, organization=self.organization)

    def everyone(self):
        """One person in every role (center staff and manager, superuser, ward official,
        council member, a manager of the organization): each page then reads its parameters
        rather than refusing."""
        person = self.staff
        MembershipFactory(organization=self.organization, user=person, role="manager")
        for group in (Role.WARD_OFFICIAL, Role.COUNCIL_MEMBER):
            person.groups.add(Group.objects.get(name=group))
        return person

    def user(self, role):
        return {
            "anonymous": None,
            "member": self.member,
            "staff": self.staff,
            "reviewer": self.reviewer,
        }[role]

    def kwarg(self, name: str, key: str):
        """A value for the URL keyword ``key`` of the URL ``name``: a real object where
        one exists, else something that resolves (and finds nothing)."""
        proposals = name.startswith("proposals")
        if key == "pk":
            if name.startswith("organizations"):
                return self.organization.pk
            if name.startswith("consultations"):
                return self.case.pk
            if name == "facilities:resource_detail":
                return self.room.pk
            if name in ("facilities_feeds:feed_create", "facilities_feeds:statement"):
                return self.organization.pk
            if name.startswith("facilities"):
                return self.booking.pk
            if proposals and ("round" in name or name.endswith(("create", "results"))):
                return self.round.pk
            if name == "proposals_review:declarations":
                return self.round.pk
            if name.startswith("proposals_review") or name == "proposals_staff:stage_action":
                return self.stage.pk
            if proposals:
                return self.proposal.pk
            return 1
        values = {
            "proposal_pk": self.proposal.pk,
            "followup_pk": self.followup.pk,
            "membership_pk": self.owner.pk,
            "booking_pk": self.booking.pk,
            "year": timezone.localdate().year,
            "month": timezone.localdate().month,
            "action": "open",
            "object_id": self.case.pk,
        }
        if key in values:
            return values[key]
        if key.endswith("pk"):
            return 1
        return "x"

    def url(self, name, keys):
        try:
            return reverse(name, kwargs={key: self.kwarg(name, key) for key in keys})
        except NoReverseMatch:
            return None


def _client(world, role):
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def _admin_changelists(world) -> dict[str, tuple[str, ...]]:
    """Each admin change list's URL with the GET parameters it takes (its filters' and the
    list's own: search, order, page, date drill-down)."""
    factory = RequestFactory()
    found = {}
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        request = factory.get(url)
        request.user = world.staff
        try:
            changelist = model_admin.get_changelist_instance(request)
        except Exception:  # a list that redirects (a singleton's) takes no parameters
            found[url] = ("q", "o", "p")
            continue
        keys = {"q", "o", "p", "e"}
        for spec in changelist.filter_specs:
            keys.update(spec.expected_parameters())
        if model_admin.date_hierarchy:
            field = model_admin.date_hierarchy
            keys.update(f"{field}__{part}" for part in ("year", "month", "day"))
        found[url] = tuple(sorted(keys))
    return found


def _targets(world):
    """(url name, URL, parameters) of every URL that reads GET parameters; the admin's change
    lists as one more entry, so that the site's own pages are drawn most often."""
    targets = []
    for name, keys in all_routes().items():
        parameters = GET_PARAMETERS.get(name)
        if not parameters:
            continue
        url = world.url(name, keys)
        if url is not None:
            targets.append((name, url, parameters))
    changelists = [("admin", url, keys) for url, keys in _admin_changelists(world).items()]
    return targets, changelists


# --- the table is complete -------------------------------------------------------------------


def test_the_table_names_every_get_parameter_the_views_read(settings):
    settings.MIDDLEWARE = ["tests.fuzz.recording.RecordGetParameters", *settings.MIDDLEWARE]
    world = World()
    routes = all_routes()
    recording.READ.clear()
    signed_in = Client()
    signed_in.force_login(world.everyone())
    for client in (Client(), signed_in):  # what the public's pages read, and everyone else's
        for name, keys in routes.items():
            if name.startswith("admin:"):
                continue  # the admin's lists: their filters give their parameters
            url = world.url(name, keys)
            if url is None or url.endswith((".pdf", "/letter/", "/agreement/")):
                continue  # documents read no parameters and take a second each to render
            client.get(url, {PROBE: "1"})
    missing = sorted(
        {
            (name, key)
            for name, key in recording.READ
            if not name.startswith("admin:")
            and key != PROBE
            and key not in GET_PARAMETERS.get(name, ())
        }
    )
    assert missing == [], f"Add these to tests/fuzz/parameters.py: {missing}"
    # And the table names nothing that is gone.
    assert set(GET_PARAMETERS) <= set(routes)


# --- GET: every parameter of every view, as every role ----------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_hostile_get_parameters_never_give_a_server_error(role):
    world = World()
    targets, changelists = _targets(world)
    client = _client(world, role)

    @settings(FUZZ_SETTINGS, max_examples=GET_EXAMPLES_PER_ROLE)
    @given(data=st.data())
    def check(data):
        target = data.draw(st.sampled_from([*targets, None]), label="page")
        if target is None:
            target = data.draw(st.sampled_from(changelists), label="admin list")
        name, url, parameters = target
        query = data.draw(
            st.dictionaries(st.sampled_from(parameters), VALUE, min_size=1), label="query"
        )
        response = client.get(url, query)
        assert response.status_code < 500, (name, url, query)

    check()


# --- every parameter of every page at the calendar's and the integers' ends -------------------

# The values that broke pages before (issue 17): each is tried in each parameter, not left to
# chance among the drawn ones.
EDGES = ["9999-12-31", "0001-01-01", "9999-12", "0000-01", "9" * 40]


def test_edge_values_in_every_get_parameter_never_give_a_server_error():
    world = World()
    client = Client()
    client.force_login(world.everyone())
    targets, _changelists = _targets(world)
    for name, url, parameters in targets:
        for parameter in parameters:
            for value in EDGES:
                response = client.get(url, {parameter: value})
                assert response.status_code < 500, (name, parameter, value)


def test_huge_numbers_in_urls_never_give_a_server_error():
    """A URL's own numbers (<id:pk>, a statement's year and month) past what the database or
    the calendar holds find nothing: 404, not 500."""
    world = World()
    client = Client()
    client.force_login(world.everyone())
    marker = 987654321
    for name, keys in all_routes().items():
        for key in [key for key in keys if key.endswith("pk") or key in ("year", "month")]:
            kwargs = {k: world.kwarg(name, k) for k in keys}
            kwargs[key] = marker
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            for number in (LARGEST_INT + 1, 10**10, 10**30):
                response = client.get(url.replace(str(marker), str(number)))
                assert response.status_code < 500, (name, key, number)


# --- POST: every field of the public and member forms -----------------------------------------

# The pages whose forms the fuzz posts to: every POST form on them (the form's own action,
# which may be another URL: the members page's invitation, the booking page's cancelling).
FORM_PAGES = {
    "anonymous": [
        "consultations:ask",
        "account_signup",
        "account_login",
        "account_reset_password",
    ],
    "member": [
        "consultations:ask",
        "consultations:my_case",
        "accounts:mypage",
        "accounts:profile_edit",
        "organizations:apply",
        "organizations:detail",
        "organizations:edit",
        "organizations:members",
        "facilities:booking_create",
        "facilities:booking_detail",
        "facilities_series:series_new",
        "facilities_series:waitlist_join",
        "proposals:create",
        "proposals:detail",
        "proposals:edit",
    ],
}
# Posts that would end the session or take the member out of the organization: the rest of
# the run would then see only refusals.
LEAVING = re.compile(r"logout|setlang|/leave/|/withdraw/|hand-over|/remove/|/delete/")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
ACTION = re.compile(r'\baction="([^"]*)"')
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


def _forms(world, role, client):
    """(action URL, field names) of each POST form on the role's form pages."""
    routes = all_routes()
    query = {
        "facilities:booking_create": {"resource": world.room.pk},
        "facilities_series:series_new": {"resource": world.room.pk},
        "facilities_series:waitlist_join": {
            "resource": world.room.pk,
            "start": world.booking.start.isoformat(),
            "end": world.booking.end.isoformat(),
        },
    }
    forms = {}
    for name in FORM_PAGES[role]:
        page = world.url(name, routes[name])
        html = client.get(page, query.get(name, {})).content.decode()
        for attributes, body in FORM.findall(html):
            if 'method="post"' not in attributes.lower():
                continue
            action = ACTION.search(attributes)
            url = html_unescape(action.group(1)) if action and action.group(1) else page
            if name in query and url == page:
                url = f"{page}?{urlencode(query[name])}"
            fields = set(FIELD.findall(body)) - {"csrfmiddlewaretoken"}
            if fields and not LEAVING.search(url):
                forms[url] = sorted(fields | set(forms.get(url, ())))
    return sorted(forms.items())


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_hostile_form_posts_never_give_a_server_error(role):
    world = World()
    client = _client(world, role)
    forms = _forms(world, role, client)
    # The pages render their forms for this role (else FORM_PAGES is stale).
    assert len(forms) >= len(FORM_PAGES[role]) - 3, forms

    @settings(FUZZ_SETTINGS, max_examples=POST_EXAMPLES_PER_ROLE)
    @given(data=st.data())
    def check(data):
        url, fields = data.draw(st.sampled_from(forms), label="form")
        post = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(fields, VALUE)))
        response = client.post(url, post)
        assert response.status_code < 500, (url, post)

    check()
