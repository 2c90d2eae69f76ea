"""The evaluation's pages: who sees what (a permission matrix per page), the forms through
the browser's path, the summary and the public results, and a fixed number of queries for
every list."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.enums import Side, Status
from evaluations.models import Sheet
from organizations.models import Membership
from proposals.models import ConflictDeclaration
from tests.evaluations.conftest import World
from tests.factories import CouncilMemberFactory, UserFactory, WardOfficialFactory

PDF = b"%PDF-1.4\n%%EOF\n"


def _people(world):
    group_member = UserFactory()
    Membership.objects.create(
        organization=world.project_year.project.proposal.organization,
        user=group_member,
        role="member",
    )
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "other_ward": WardOfficialFactory(),
        "other_council": CouncilMemberFactory(),
        "group_member": group_member,
        "manager": world.manager,
        "department": world.ward,
        "council": world.members[0],
        "staff": world.staff,
    }


def _get(client, user, url):
    client.logout()
    # logout() clears every cookie: the pages are read in English, as the fixture set them.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("other_ward", 404),
        ("other_council", 404),
        ("group_member", 200),
        ("manager", 200),
        ("department", 200),
        ("council", 200),
        ("staff", 200),
    ],
)
def test_who_sees_an_evaluation(client, world, who, expected):
    world.confirm()
    person = _people(world)[who]
    response = _get(client, person, reverse("evaluations:detail", args=[world.evaluation.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert world.project_year.project.proposal.title in response.text


def test_each_side_sees_the_earlier_sheets_only_when_its_turn_opens(client, world):
    world.open()
    world.results()
    services.sheet_save(
        evaluation=world.evaluation,
        by=world.manager,
        scores=world.scores(4),
        went_well="GROUP-TEXT",
        submit=False,
    )
    detail = reverse("evaluations:detail", args=[world.evaluation.pk])
    assert "GROUP-TEXT" not in _get(client, world.ward, detail).text  # a draft, and not its turn
    services.sheet_save(
        evaluation=world.evaluation,
        by=world.manager,
        scores=world.scores(4),
        went_well="GROUP-TEXT",
        submit=True,
    )
    assert "GROUP-TEXT" in _get(client, world.ward, detail).text
    assert "GROUP-TEXT" not in _get(client, world.members[0], detail).text
    services.sheet_save(
        evaluation=world.evaluation,
        by=world.ward,
        scores=world.scores(3),
        issues="WARD-TEXT",
        submit=True,
    )
    council_page = _get(client, world.members[0], detail).text
    assert "GROUP-TEXT" in council_page and "WARD-TEXT" in council_page
    assert "WARD-TEXT" not in _get(client, world.manager, detail).text
    services.sheet_save(
        evaluation=world.evaluation,
        by=world.members[0],
        scores=world.scores(5),
        improvements="MEMBER-0",
        submit=True,
    )
    assert "MEMBER-0" not in _get(client, world.members[1], detail).text
    assert "MEMBER-0" not in _get(client, world.manager, detail).text


def test_with_the_setting_off_the_sheets_wait_for_the_verdict(client, world):
    world.evaluation.template.show_earlier_sheets = False
    world.evaluation.template.save()
    world.open()
    world.results()
    services.sheet_save(
        evaluation=world.evaluation,
        by=world.manager,
        scores=world.scores(),
        went_well="GROUP-TEXT",
        submit=True,
    )
    detail = reverse("evaluations:detail", args=[world.evaluation.pk])
    assert "GROUP-TEXT" not in _get(client, world.ward, detail).text


def test_only_staff_read_which_council_member_gave_which_scores(client, world):
    world.decided()
    name = str(world.members[0])
    detail = reverse("evaluations:detail", args=[world.evaluation.pk])
    assert name in _get(client, world.staff, detail).text
    assert name not in _get(client, world.manager, detail).text
    assert name not in _get(client, world.members[1], detail).text


def test_a_recused_member_sees_nothing_of_the_sheets_or_files(client, world):
    world.department_done()
    services.sheet_save(
        evaluation=world.evaluation,
        by=world.members[1],
        scores=world.scores(),
        went_well="OTHER",
        submit=True,
    )
    ConflictDeclaration.objects.create(
        proposal=world.project_year.project.proposal, reviewer=world.members[0], has_conflict=True
    )
    page = _get(client, world.members[0], reverse("evaluations:detail", args=[world.evaluation.pk]))
    assert "conflict of interest" in page.text and "OTHER" not in page.text
    assert (
        _get(
            client, world.members[0], reverse("evaluations:sheet", args=[world.evaluation.pk])
        ).status_code
        == 403
    )


def test_the_group_enters_results_and_its_sheet_through_the_pages(client, world):
    world.open()
    client.force_login(world.manager)
    targets = list(world.evaluation.targets.targets.all())
    data = {}
    for t in targets:
        data[f"value_{t.pk}"] = "10"
        data[f"note_{t.pk}"] = ""
    response = client.post(reverse("evaluations:results", args=[world.evaluation.pk]), data)
    assert response.status_code == 302
    assert {t.result_value for t in world.evaluation.targets.targets.all()} == {10}
    response = client.post(
        reverse("evaluations:evidence_add", args=[world.evaluation.pk]),
        {"evidence-file": SimpleUploadedFile("tally.pdf", PDF)},
    )
    assert response.status_code == 302
    evidence = world.evaluation.targets.evidence.get()
    download = reverse("evaluations:evidence", args=[world.evaluation.pk, evidence.pk])
    assert client.get(download).status_code == 200
    sheet_url = reverse("evaluations:sheet", args=[world.evaluation.pk])
    form = {f"points_{i.pk}": "4" for i in world.items} | {
        f"comment_{i.pk}": "" for i in world.items
    }
    form[f"points_{world.items[0].pk}"] = "2"
    response = client.post(sheet_url, form | {"submit": "1"})
    assert response.status_code == 200 and "needs a comment" in response.text
    form[f"comment_{world.items[0].pk}"] = "遅れた"
    response = client.post(sheet_url, form | {"submit": "1", "went_well": "よかった"})
    assert response.status_code == 302
    assert world.refresh().status == Status.DEPARTMENT
    assert Sheet.objects.get(evaluation=world.evaluation, side=Side.SELF).went_well == "よかった"
    # the council members cannot open the files before their turn; the public never
    assert _get(client, world.members[0], download).status_code == 403
    assert _get(client, None, download).status_code == 302
    assert _get(client, UserFactory(), download).status_code == 404


def test_forms_refuse_those_whose_turn_it_is_not(client, world):
    world.open()
    for user, name in [
        (world.ward, "evaluations:sheet"),
        (world.members[0], "evaluations:sheet"),
        (world.ward, "evaluations:results"),
        (world.staff, "evaluations:results"),
        (world.manager, "evaluations:targets"),
    ]:
        assert _get(client, user, reverse(name, args=[world.evaluation.pk])).status_code == 403


def test_the_group_edits_its_targets_until_they_are_confirmed(client, world):
    client.force_login(world.manager)
    url = reverse("evaluations:targets", args=[world.evaluation.pk])
    assert client.get(url).status_code == 200
    data = {
        "targets-TOTAL_FORMS": "3",
        "targets-INITIAL_FORMS": "0",
        "targets-0-kind": "outcome",
        "targets-0-title": "居場所",
        "targets-0-indicator": "延べ参加者数",
        "targets-0-target_value": "600",
        "targets-0-unit": "人",
        "targets-1-kind": "activity",
        "targets-1-title": "サロン",
        "targets-1-indicator": "65歳以上",
        "targets-1-target_value": "48",
        "targets-1-unit": "回",
        "targets-2-kind": "beneficiary",
        "targets-2-title": "",
        "beneficiary-reason": "乳幼児のため測れない",
    }
    assert client.post(url, data).status_code == 302
    assert world.evaluation.targets.targets.count() == 2
    services.evaluation_targets_confirm(evaluation=world.evaluation, by=world.staff)
    assert client.get(url).status_code == 403


def test_the_summary_waits_for_the_verdict_then_shows_the_three_sides(client, world):
    world.council_done()
    url = reverse("evaluations:summary", args=[world.evaluation.pk])
    assert _get(client, world.manager, url).status_code == 403
    assert _get(client, world.staff, url).status_code == 200
    services.verdict_record(
        evaluation=world.evaluation,
        by=world.staff,
        verdict="continue_changes",
        text="COUNCIL-COMMENT",
        on=timezone.localdate(),
    )
    page = _get(client, world.manager, url).text
    # self 4, department 3, council (5 + 4) / 2 = 4.5: (80 + 60 + 270) / 100 = 4.1 → 82.0
    assert "82.0 out of 100" in page and "4.50" in page and "COUNCIL-COMMENT" in page
    assert _get(client, UserFactory(), url).status_code == 404


def test_the_verdict_shows_on_the_groups_proposal_page(client, world):
    world.decided(verdict="continue_changes")
    client.force_login(world.manager)
    page = client.get(
        reverse("proposals:detail", args=[world.project_year.project.proposal.pk])
    ).text
    assert "Continue with changes" in page and "継続すべきである。" in page


def test_the_summary_shows_the_previous_year_beside_this_one(client, db):
    first = World()
    first.decided()
    project = first.project_year.project
    second_year = project.years.get(year=2)
    second_year.status = "running"
    second_year.save()
    evaluation = services.evaluation_create(project_year=second_year, by=first.staff)
    page = _get(client, first.staff, reverse("evaluations:summary", args=[evaluation.pk])).text
    assert "This year beside the previous year" in page
    assert "Previous year: 82.0" in page  # the first year's total, with its number in words


def test_public_results_only_once_published(client, world):
    world.decided()
    fy = world.project_year.fiscal_year
    index = reverse("evaluations:index")
    assert world.project_year.project.proposal.title not in client.get(index).text
    staff_client = client
    staff_client.force_login(world.staff)
    response = staff_client.post(reverse("evaluations_staff:publish", args=[fy]))
    assert response.status_code == 302
    client.logout()
    report = world.evaluation.__class__.objects.get().project_year.fiscal_year
    from evaluations.models import EvaluationReport

    row = EvaluationReport.objects.get(fiscal_year=report)
    page = client.get(reverse("evaluations:report", args=[row.pk]))
    assert page.status_code == 200
    assert (
        world.project_year.project.proposal.title in page.text and "継続すべきである。" in page.text
    )
    assert client.get(reverse("evaluations:index")).status_code == 200


def test_an_unpublished_year_is_not_found(client, world):
    from evaluations.models import EvaluationReport

    row = EvaluationReport.objects.create(fiscal_year=world.project_year.fiscal_year)
    assert client.get(reverse("evaluations:report", args=[row.pk])).status_code == 404
    assert client.get(reverse("evaluations:report_pdf", args=[row.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("manager", 404),
        ("department", 404),
        ("council", 404),
        ("staff", 200),
    ],
)
def test_staff_pages_are_for_staff(client, world, who, expected):
    person = _people(world)[who]
    for url in (
        reverse("evaluations_staff:index"),
        reverse("evaluations_staff:detail", args=[world.evaluation.pk]),
    ):
        assert _get(client, person, url).status_code == expected


def test_staff_start_confirm_open_and_record_through_their_pages(client, db):
    from tests.evaluations.conftest import ROWS, make_project_year
    from tests.factories import StaffFactory

    staff = StaffFactory()
    project_year, manager, _ward = make_project_year(staff)
    client.force_login(staff)
    assert (
        client.post(reverse("evaluations_staff:create", args=[project_year.pk])).status_code == 302
    )
    evaluation = project_year.evaluation
    services.evaluation_targets_save(evaluation=evaluation, by=manager, rows=ROWS)
    client.post(reverse("evaluations_staff:action", args=[evaluation.pk, "confirm"]))
    evaluation.refresh_from_db()
    assert evaluation.status == Status.WAITING
    member = CouncilMemberFactory()
    client.post(
        reverse("evaluations_staff:action", args=[evaluation.pk, "assign"]),
        {"assign-member": member.pk},
    )
    assert list(evaluation.assignments.values_list("member", flat=True)) == [member.pk]
    response = client.post(
        reverse("evaluations_staff:action", args=[evaluation.pk, "open"]),
        {
            "open-self_due": "2030-01-10",
            "open-department_due": "2030-01-05",
            "open-council_due": "2030-01-20",
        },
    )
    evaluation.refresh_from_db()
    assert evaluation.status == Status.WAITING  # the dates out of order were refused
    client.post(
        reverse("evaluations_staff:action", args=[evaluation.pk, "open"]),
        {
            "open-self_due": "2030-01-10",
            "open-department_due": "2030-01-15",
            "open-council_due": "2030-01-20",
        },
    )
    evaluation.refresh_from_db()
    assert evaluation.status == Status.SELF and response.status_code == 302
    assert (
        client.post(
            reverse("evaluations_staff:action", args=[evaluation.pk, "nonsense"])
        ).status_code
        == 404
    )


def _many_evaluations(count):
    worlds = [World() for _ in range(count)]
    for w in worlds:
        w.decided()
    return worlds


def test_the_lists_run_a_fixed_number_of_queries(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluations.models import EvaluationReport

    first = _many_evaluations(1)[0]
    services.report_publish(fiscal_year=first.project_year.fiscal_year, by=first.staff)
    report = EvaluationReport.objects.get()
    pages = [
        (first.staff, reverse("evaluations_staff:index")),
        (first.staff, reverse("evaluations:mine")),
        (first.manager, reverse("evaluations:mine")),
        (None, reverse("evaluations:report", args=[report.pk])),
        (None, reverse("evaluations:index")),
    ]

    def counts():
        result = []
        for user, url in pages:
            client.logout()
            if user is not None:
                client.force_login(user)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    before = counts()
    for w in _many_evaluations(3):
        w.project_year.fiscal_year = first.project_year.fiscal_year
        w.project_year.save()
        Membership.objects.create(
            organization=w.project_year.project.proposal.organization,
            user=first.manager,
            role="member",
        )
    assert Membership.objects.filter(user=first.manager).count() == 4
    assert counts() == before
