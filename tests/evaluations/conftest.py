"""Shared set-ups of the evaluation tests: an adopted proposal's project in its first year,
with the group's manager, the department's official and two council members, built through
the services as people would."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation

from evaluations import services
from evaluations.enums import TargetKind
from proposals import projects
from proposals.services import department_assign
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    ProposalFactory,
    StaffFactory,
    WardOfficialFactory,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


ROWS = [
    {
        "kind": TargetKind.OUTCOME,
        "title": "居場所",
        "indicator": "延べ参加者数",
        "target_value": Decimal(600),
        "unit": "人",
    },
    {
        "kind": TargetKind.ACTIVITY,
        "title": "サロンの開催",
        "indicator": "65歳以上",
        "target_value": Decimal(48),
        "unit": "回",
    },
    {
        "kind": TargetKind.BENEFICIARY,
        "title": "満足度",
        "indicator": "アンケート",
        "target_value": Decimal(80),
        "unit": "%",
    },
]


def make_project_year(staff, *, ward=None, year=1):
    proposal = ProposalFactory(status="adopted", number=1)
    manager = MembershipFactory(organization=proposal.organization, role="owner").user
    ward = ward or WardOfficialFactory()
    department_assign(proposal=proposal, by=staff, department="高齢者福祉課", official=ward)
    project = projects.project_start(proposal, by=staff)
    project_year = project.years.get(year=1)
    project_year.status = "running"
    project_year.save(update_fields=["status"])
    if year == 2:
        project_year = project.years.get(year=2)
        project_year.status = "running"
        project_year.save(update_fields=["status"])
    return project_year, manager, ward


class World:
    def __init__(self):
        self.staff = StaffFactory()
        self.project_year, self.manager, self.ward = make_project_year(self.staff)
        self.members = [CouncilMemberFactory(), CouncilMemberFactory()]
        self.evaluation = services.evaluation_create(project_year=self.project_year, by=self.staff)
        self.items = list(self.evaluation.template.items.order_by("order"))

    def scores(self, points=4, comment=""):
        return {item.pk: (points, comment) for item in self.items}

    def refresh(self):
        self.evaluation.refresh_from_db()
        return self.evaluation

    def confirm(self):
        services.evaluation_targets_save(evaluation=self.evaluation, by=self.manager, rows=ROWS)
        services.evaluation_targets_confirm(evaluation=self.evaluation, by=self.staff)
        for member in self.members:
            services.council_assign(evaluation=self.evaluation, member=member, by=self.staff)
        return self.refresh()

    def open(self):
        self.confirm()
        today = timezone.localdate()
        services.evaluation_open(
            evaluation=self.evaluation,
            by=self.staff,
            self_due=today + dt.timedelta(days=7),
            department_due=today + dt.timedelta(days=14),
            council_due=today + dt.timedelta(days=21),
        )
        return self.refresh()

    def results(self):
        results = {t.pk: (t.target_value, "") for t in self.evaluation.targets.targets.all()}
        services.evaluation_results_save(
            evaluation=self.evaluation, by=self.manager, results=results
        )

    def self_done(self, points=4):
        self.open()
        self.results()
        services.sheet_save(
            evaluation=self.evaluation, by=self.manager, scores=self.scores(points), submit=True
        )
        return self.refresh()

    def department_done(self, points=3):
        self.self_done()
        services.sheet_save(
            evaluation=self.evaluation, by=self.ward, scores=self.scores(points), submit=True
        )
        return self.refresh()

    def council_done(self, points=(5, 4)):
        self.department_done()
        for member, p in zip(self.members, points, strict=True):
            services.sheet_save(
                evaluation=self.evaluation, by=member, scores=self.scores(p), submit=True
            )
        return self.refresh()

    def decided(self, verdict="continue"):
        self.council_done()
        services.verdict_record(
            evaluation=self.evaluation,
            by=self.staff,
            verdict=verdict,
            text="継続すべきである。",
            on=timezone.localdate(),
        )
        return self.refresh()


@pytest.fixture
def world(db):
    return World()
