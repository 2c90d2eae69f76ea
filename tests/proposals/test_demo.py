"""The demo's 協働事業提案: last year's call released with a project in its first year, this
year's call in review with work left for the demo reviewers; seeding twice adds nothing."""

import io

import pytest
from django.urls import reverse

from accounts.models import User
from kyodo.demo import DEMO_PASSWORD, seed_foundation
from organizations.demo import seed_organizations
from proposals import selectors
from proposals.demo import seed_proposals
from proposals.models import (
    Assignment,
    ConflictDeclaration,
    Decision,
    Project,
    ProjectEvent,
    Proposal,
    ProposalEvent,
    Review,
    Round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_foundation(io.StringIO())
    seed_organizations(io.StringIO())
    logins = seed_proposals(io.StringIO())
    past, current = Round.objects.order_by("fiscal_year")
    return {"logins": logins, "past": past, "current": current}


def _counts():
    return [
        model.objects.count()
        for model in (
            User,
            Round,
            Proposal,
            ProposalEvent,
            Assignment,
            Review,
            ConflictDeclaration,
            Decision,
            Project,
            ProjectEvent,
        )
    ]


def test_seeding_twice_adds_nothing_and_prints_the_reviewers_log_ins(seeded):
    before = _counts()
    assert seed_proposals(io.StringIO()) == seeded["logins"]
    assert _counts() == before
    emails = {email for _role, email, _password in seeded["logins"]}
    assert emails == {"ward@demo.kyodo.jp", "council@demo.kyodo.jp"}
    for email in emails:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)


def test_last_years_call_is_released_with_a_project_in_its_first_year(seeded):
    past = seeded["past"]
    assert past.decisions_released
    statuses = sorted(Proposal.objects.filter(round=past).values_list("status", flat=True))
    assert statuses.count("adopted") == 1 and statuses.count("not_adopted") == 3
    project = Project.objects.get(proposal__round=past)
    assert project.status == "running"
    assert project.agreement_file and project.agreement_starts_on and project.budget_amount
    assert project.notes.count() == 2
    years = {y.year: y.status for y in project.years.all()}
    assert years == {1: "running", 2: "planned"}
    assert list(project.events.values_list("new_status", flat=True)) == [
        "consulting",
        "budgeted",
        "agreed",
        "running",
    ]
    # Every status change has its history row, dated in the call's year.
    adopted = project.proposal
    statuses = list(adopted.events.values_list("new_status", flat=True))
    assert list(dict.fromkeys(statuses)) == ["draft", "submitted", "shortlisted", "adopted"]
    assert adopted.events.get(new_status="adopted").changed_at.year == past.fiscal_year - 1


def test_this_years_call_is_in_review_with_work_left_for_the_demo_reviewers(seeded):
    current = seeded["current"]
    first = current.stages.get(number=1)
    assert first.status == "open"
    proposals = Proposal.objects.filter(round=current)
    assert proposals.filter(status="submitted").count() == 6
    assert proposals.filter(status="draft").count() == 3
    assert current.chair.email == "council@demo.kyodo.jp"
    others = Review.objects.filter(stage=first, status="submitted").exclude(
        reviewer__email__in=["council@demo.kyodo.jp", "ward@demo.kyodo.jp"]
    )
    assert others.count() >= 10
    for email in ("council@demo.kyodo.jp", "ward@demo.kyodo.jp"):
        reviewer = User.objects.get(email=email)
        rows = selectors.reviewer_rows(selectors.assignment_for(reviewer, first.pk))
        assert len(rows) == 6, email
        assert [r for r in rows if r.submitted], email
        assert [r for r in rows if not r.conflicted and not r.submitted], email
    # The demo ward official is also the 所管課 official of two, with the opinion to give.
    ward = User.objects.get(email="ward@demo.kyodo.jp")
    waiting = [
        p
        for p in selectors.opinions_to_give(ward)
        if getattr(p, "opinion", None) is None or not p.opinion.is_submitted
    ]
    assert len(waiting) == 2


def test_the_staff_pages_show_the_demo(client, seeded):
    client.force_login(User.objects.get(email="staff@demo.kyodo.jp"))
    urls = [reverse("proposals_staff:rounds")]
    for round_ in (seeded["past"], seeded["current"]):
        urls.append(reverse("proposals_staff:round", args=[round_.pk]))
        urls += [
            reverse("proposals_staff:proposal", args=[pk])
            for pk in Proposal.objects.filter(round=round_).values_list("pk", flat=True)
        ]
    urls.append(reverse("proposals_staff:project", args=[Project.objects.get().pk]))
    for url in urls:
        assert client.get(url).status_code == 200, url
