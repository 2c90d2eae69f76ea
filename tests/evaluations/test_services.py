"""The evaluation's workflow: targets prefilled and frozen, the order of the turns, required
comments, the recusal through the proposals pillar's conflict rules, the verdict written once
on the project year, and publishing once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluations import reminders, services, targets
from evaluations.enums import SheetStatus, Side, Status, TargetKind
from evaluations.models import EvaluationEvent, EvaluationReminder, Sheet, SheetScore
from kyodo.exceptions import DomainError
from kyodo.models import GeneratedDocument, OutboxMail
from organizations.models import Membership
from proposals.models import ConflictDeclaration
from tests.evaluations.conftest import ROWS
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n%%EOF\n"


def test_a_new_evaluation_starts_from_the_proposals_aims_and_indicators(world):
    kinds = {t.kind: t.title for t in world.evaluation.targets.targets.all()}
    proposal = world.project_year.project.proposal
    assert kinds == {
        TargetKind.OUTCOME: proposal.outcome_target,
        TargetKind.ACTIVITY: proposal.activity_indicator,
        TargetKind.BENEFICIARY: proposal.beneficiary_target,
    }
    assert world.evaluation.status == Status.TARGETS
    assert [i.name for i in world.items][:2] == ["相乗効果", "進捗"]
    assert world.evaluation.template.weights == {"self": 20, "department": 20, "council": 60}


def test_one_evaluation_per_project_year(world):
    with pytest.raises(DomainError):
        services.evaluation_create(project_year=world.project_year, by=world.staff)


def test_targets_cannot_be_confirmed_while_incomplete(world):
    with pytest.raises(DomainError, match="Still missing"):
        services.evaluation_targets_confirm(evaluation=world.evaluation, by=world.staff)
    assert world.refresh().status == Status.TARGETS


def test_a_reason_instead_of_a_beneficiary_target_is_enough(world):
    services.evaluation_targets_save(
        evaluation=world.evaluation,
        by=world.manager,
        rows=ROWS[:2],
        beneficiary_unmeasured_reason="対象が乳幼児のため",
    )
    services.evaluation_targets_confirm(evaluation=world.evaluation, by=world.staff)
    assert world.refresh().status == Status.WAITING


def test_confirmed_targets_are_frozen(world):
    world.confirm()
    sheet = world.evaluation.targets
    assert sheet.is_frozen and sheet.confirmed_by == world.staff
    with pytest.raises(DomainError):
        services.evaluation_targets_save(evaluation=world.evaluation, by=world.manager, rows=ROWS)
    with pytest.raises(DomainError):
        targets.targets_replace(sheet=sheet, rows=ROWS)
    with pytest.raises(DomainError):
        services.evaluation_targets_confirm(evaluation=world.evaluation, by=world.staff)
    assert sheet.targets.count() == 3


def test_only_staff_confirm_targets(world):
    services.evaluation_targets_save(evaluation=world.evaluation, by=world.manager, rows=ROWS)
    with pytest.raises(DomainError):
        services.evaluation_targets_confirm(evaluation=world.evaluation, by=world.manager)


def test_the_turns_go_in_order_self_department_council(world):
    world.open()
    with pytest.raises(DomainError, match="not your side's turn"):
        services.sheet_save(evaluation=world.evaluation, by=world.ward, scores=world.scores())
    with pytest.raises(DomainError, match="not your side's turn"):
        services.sheet_save(evaluation=world.evaluation, by=world.members[0], scores=world.scores())
    world.results()
    services.sheet_save(
        evaluation=world.evaluation, by=world.manager, scores=world.scores(), submit=True
    )
    assert world.refresh().status == Status.DEPARTMENT
    with pytest.raises(DomainError, match="not your side's turn"):
        services.sheet_save(evaluation=world.evaluation, by=world.members[0], scores=world.scores())
    with pytest.raises(DomainError, match="not your side's turn"):
        services.sheet_save(evaluation=world.evaluation, by=world.manager, scores=world.scores())
    services.sheet_save(
        evaluation=world.evaluation, by=world.ward, scores=world.scores(), submit=True
    )
    assert world.refresh().status == Status.COUNCIL
    services.sheet_save(
        evaluation=world.evaluation, by=world.members[0], scores=world.scores(), submit=True
    )
    assert world.refresh().status == Status.COUNCIL  # the council's turn stays open for the others
    moves = list(
        EvaluationEvent.objects.filter(evaluation=world.evaluation).values_list(
            "new_status", flat=True
        )
    )
    assert moves == ["targets", "waiting", "self", "department", "council"]


def test_nobody_scores_before_the_evaluation_is_opened(world):
    world.confirm()
    with pytest.raises(DomainError):
        services.sheet_save(evaluation=world.evaluation, by=world.manager, scores=world.scores())


def test_the_group_submits_only_with_every_result(world):
    world.open()
    with pytest.raises(DomainError, match="result"):
        services.sheet_save(
            evaluation=world.evaluation, by=world.manager, scores=world.scores(), submit=True
        )
    first = world.evaluation.targets.targets.first()
    services.evaluation_results_save(
        evaluation=world.evaluation,
        by=world.manager,
        results={
            t.pk: (None, "コロナで中止") if t == first else (Decimal(1), "")
            for t in world.evaluation.targets.targets.all()
        },
    )
    services.sheet_save(
        evaluation=world.evaluation, by=world.manager, scores=world.scores(), submit=True
    )
    assert world.refresh().status == Status.DEPARTMENT


def test_results_only_during_the_groups_turn(world):
    world.confirm()
    with pytest.raises(DomainError):
        world.results()
    services.evaluation_open(
        evaluation=world.refresh(),
        by=world.staff,
        self_due=timezone.localdate(),
        department_due=timezone.localdate(),
        council_due=timezone.localdate(),
    )
    world.results()
    services.sheet_save(
        evaluation=world.evaluation, by=world.manager, scores=world.scores(), submit=True
    )
    with pytest.raises(DomainError):
        world.results()


def test_the_due_dates_must_follow_the_turns(world):
    world.confirm()
    today = timezone.localdate()
    with pytest.raises(DomainError, match="order"):
        services.evaluation_open(
            evaluation=world.evaluation,
            by=world.staff,
            self_due=today,
            department_due=today - dt.timedelta(days=1),
            council_due=today,
        )


@pytest.mark.parametrize("points", [1, 2])
def test_a_score_of_one_or_two_needs_a_comment(world, points):
    world.open()
    world.results()
    scores = world.scores(4)
    scores[world.items[0].pk] = (points, "  ")
    with pytest.raises(DomainError, match="comment"):
        services.sheet_save(evaluation=world.evaluation, by=world.manager, scores=scores)
    scores[world.items[0].pk] = (points, "参加者が集まらなかった。")
    sheet = services.sheet_save(
        evaluation=world.evaluation, by=world.manager, scores=scores, submit=True
    )
    assert sheet.scores.get(item=world.items[0]).points == points


def test_the_database_holds_the_comment_rule_and_the_scale(world):
    world.open()
    sheet = services.sheet_save(evaluation=world.evaluation, by=world.manager, scores={})
    with pytest.raises(IntegrityError), transaction.atomic():
        SheetScore.objects.create(sheet=sheet, item=world.items[0], points=2, comment="")
    with pytest.raises(IntegrityError), transaction.atomic():
        SheetScore.objects.create(sheet=sheet, item=world.items[0], points=6, comment="x")


def test_every_item_is_scored_before_submitting_and_a_submitted_sheet_is_final(world):
    world.open()
    world.results()
    partial = world.scores()
    partial[world.items[-1].pk] = (None, "")
    services.sheet_save(evaluation=world.evaluation, by=world.manager, scores=partial)
    with pytest.raises(DomainError, match="every item"):
        services.sheet_save(
            evaluation=world.evaluation, by=world.manager, scores=partial, submit=True
        )
    services.sheet_save(
        evaluation=world.evaluation, by=world.manager, scores=world.scores(), submit=True
    )
    sheet = Sheet.objects.get(evaluation=world.evaluation, side=Side.SELF)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.scores.count() == len(world.items)


def test_a_member_of_the_group_who_is_not_a_manager_does_not_evaluate(world):
    world.open()
    world.results()
    plain = UserFactory()
    Membership.objects.create(
        organization=world.project_year.project.proposal.organization, user=plain, role="member"
    )
    with pytest.raises(DomainError, match="do not evaluate"):
        services.sheet_save(evaluation=world.evaluation, by=plain, scores=world.scores())


def test_staff_do_not_write_the_groups_sheet(world):
    world.open()
    world.results()
    with pytest.raises(DomainError, match="do not evaluate"):
        services.sheet_save(evaluation=world.evaluation, by=world.staff, scores=world.scores())


def test_a_council_member_with_a_declared_conflict_is_recused(world):
    world.department_done()
    ConflictDeclaration.objects.create(
        proposal=world.project_year.project.proposal, reviewer=world.members[0], has_conflict=True
    )
    with pytest.raises(DomainError, match="conflict of interest"):
        services.sheet_save(
            evaluation=world.evaluation, by=world.members[0], scores=world.scores(), submit=True
        )
    services.sheet_save(
        evaluation=world.evaluation, by=world.members[1], scores=world.scores(), submit=True
    )


def test_a_council_member_of_the_proposing_group_is_recused(world):
    world.department_done()
    Membership.objects.create(
        organization=world.project_year.project.proposal.organization,
        user=world.members[0],
        role="member",
    )
    with pytest.raises(DomainError, match="conflict of interest"):
        services.sheet_save(evaluation=world.evaluation, by=world.members[0], scores=world.scores())


def test_an_unassigned_council_member_does_not_evaluate(world):
    from tests.factories import CouncilMemberFactory

    world.department_done()
    with pytest.raises(DomainError, match="do not evaluate"):
        services.sheet_save(
            evaluation=world.evaluation, by=CouncilMemberFactory(), scores=world.scores()
        )


def test_each_council_member_has_one_sheet(world):
    world.department_done()
    services.sheet_save(evaluation=world.evaluation, by=world.members[0], scores=world.scores())
    services.sheet_save(evaluation=world.evaluation, by=world.members[0], scores=world.scores(5))
    assert Sheet.objects.filter(evaluation=world.evaluation, side=Side.COUNCIL).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Sheet.objects.create(
            evaluation=world.evaluation, side=Side.COUNCIL, author=world.members[0]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Sheet.objects.create(evaluation=world.evaluation, side=Side.SELF, author=world.members[1])


def test_the_verdict_becomes_the_project_years_verdict(world):
    world.council_done()
    services.verdict_record(
        evaluation=world.evaluation,
        by=world.staff,
        verdict="continue_changes",
        text="一部修正を要するが継続すべきである。",
        on=dt.date(2027, 2, 20),
    )
    year = world.project_year
    year.refresh_from_db()
    assert (year.verdict, year.verdict_text, year.verdict_on, year.status) == (
        "continue_changes",
        "一部修正を要するが継続すべきである。",
        dt.date(2027, 2, 20),
        "done",
    )
    assert world.refresh().status == Status.DECIDED
    assert OutboxMail.objects.filter(to=world.manager.email, purpose="evaluations.verdict").exists()


def test_an_end_verdict_ends_the_project_through_the_proposals_service(world):
    world.decided(verdict="end")
    project = world.project_year.project
    project.refresh_from_db()
    assert project.status == "ended"


def test_no_verdict_before_a_council_sheet_nor_twice(world):
    world.department_done()
    with pytest.raises(DomainError, match="No council member"):
        services.verdict_record(
            evaluation=world.evaluation,
            by=world.staff,
            verdict="continue",
            text="x",
            on=timezone.localdate(),
        )
    services.sheet_save(
        evaluation=world.evaluation, by=world.members[0], scores=world.scores(), submit=True
    )
    with pytest.raises(DomainError):
        services.verdict_record(
            evaluation=world.evaluation,
            by=world.members[0],
            verdict="continue",
            text="x",
            on=timezone.localdate(),
        )
    services.verdict_record(
        evaluation=world.evaluation,
        by=world.staff,
        verdict="continue",
        text="x",
        on=timezone.localdate(),
    )
    with pytest.raises(DomainError):
        services.verdict_record(
            evaluation=world.evaluation,
            by=world.staff,
            verdict="end",
            text="y",
            on=timezone.localdate(),
        )
    world.project_year.refresh_from_db()
    assert world.project_year.verdict == "continue"


def test_publish_refused_before_every_verdict_then_once(world, django_capture_on_commit_callbacks):
    fy = world.project_year.fiscal_year
    world.council_done()
    with pytest.raises(DomainError, match="no verdict"):
        services.report_publish(fiscal_year=fy, by=world.staff)
    services.verdict_record(
        evaluation=world.evaluation,
        by=world.staff,
        verdict="continue",
        text="x",
        on=timezone.localdate(),
    )
    report = services.report_publish(fiscal_year=fy, by=world.staff)
    assert report.published_at and report.document.kind == "evaluation_report"
    with pytest.raises(DomainError, match="published already"):
        services.report_publish(fiscal_year=fy, by=world.staff)
    assert GeneratedDocument.objects.filter(kind="evaluation_report").count() == 1


def test_publish_needs_an_evaluated_year_and_staff(world):
    with pytest.raises(DomainError):
        services.report_publish(fiscal_year=1999, by=world.staff)
    world.decided()
    with pytest.raises(DomainError):
        services.report_publish(fiscal_year=world.project_year.fiscal_year, by=world.manager)


def test_evidence_is_checked_and_only_during_the_groups_turn(world):
    world.open()
    with pytest.raises(DomainError):
        services.evaluation_evidence_add(
            evaluation=world.evaluation,
            by=world.manager,
            upload=SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
        )
    evidence = services.evaluation_evidence_add(
        evaluation=world.evaluation, by=world.manager, upload=SimpleUploadedFile("tally.pdf", PDF)
    )
    assert evidence.name == "tally.pdf" and evidence.file
    with pytest.raises(DomainError):
        services.evaluation_evidence_add(
            evaluation=world.evaluation, by=world.ward, upload=SimpleUploadedFile("t.pdf", PDF)
        )


def test_each_side_is_told_once_when_its_turn_opens(world):
    world.department_done()
    opened = EvaluationReminder.objects.filter(key__startswith=f"open:{world.evaluation.pk}:")
    assert sorted(k.split(":")[2] for k in opened.values_list("key", flat=True)) == [
        "council",
        "council",
        "department",
        "self",
    ]
    assert reminders.turn_opened(world.evaluation, Side.COUNCIL) == 0  # claimed already


def test_due_reminders_go_once_to_those_who_have_not_submitted(world):
    world.department_done()
    services.sheet_save(
        evaluation=world.evaluation, by=world.members[0], scores=world.scores(), submit=True
    )
    due = world.evaluation.council_due
    assert reminders.due_reminders_send(today=due - dt.timedelta(days=10)) == 0
    assert reminders.due_reminders_send(today=due - dt.timedelta(days=3)) == 1
    assert reminders.due_reminders_send(today=due - dt.timedelta(days=3)) == 0
    assert reminders.due_reminders_send(today=due - dt.timedelta(days=2)) == 0
    assert reminders.due_reminders_send(today=due - dt.timedelta(days=1)) == 1
    keys = list(
        EvaluationReminder.objects.filter(key__startswith="due:").values_list("email", flat=True)
    )
    assert keys == [world.members[1].email, world.members[1].email]


def test_a_recused_member_gets_no_reminder(world):
    world.department_done()
    ConflictDeclaration.objects.create(
        proposal=world.project_year.project.proposal, reviewer=world.members[1], has_conflict=True
    )
    assert [u.pk for u in reminders.recipients(world.evaluation, Side.COUNCIL)] == [
        world.members[0].pk
    ]


def test_the_generic_targets_serve_any_subject(db):
    from organizations.models import Organization
    from tests.factories import OrganizationFactory

    subject = OrganizationFactory()  # any model: a subsidies project in that pillar
    sheet = targets.sheet_for(subject)
    assert targets.sheet_for(subject) == sheet
    assert sheet.subject == Organization.objects.get(pk=subject.pk)
    targets.targets_replace(sheet=sheet, rows=ROWS)
    assert targets.missing_for_confirmation(sheet) == []
    with pytest.raises(DomainError):
        targets.results_record(sheet=sheet, results={})
    targets.targets_confirm(sheet=sheet, by=None)
    first = sheet.targets.get(kind=TargetKind.OUTCOME)
    targets.results_record(sheet=sheet, results={first.pk: (Decimal(552), "")})
    rows = targets.target_rows(sheet.targets.all())
    assert [r.rate for r in rows if r.kind == TargetKind.OUTCOME] == [Decimal("92.0")]
    assert len(targets.results_missing(sheet)) == 2


def test_once_an_evaluation_holds_the_year_its_verdict_is_never_typed_on_the_project_page(
    world, client
):
    from proposals import projects

    year = world.project_year
    with pytest.raises(DomainError, match="evaluation"):
        projects.project_verdict(
            project=year.project,
            by=world.staff,
            year=year.year,
            verdict="continue",
            text="手で入力した講評",
            on=timezone.localdate(),
        )
    year.refresh_from_db()
    assert year.verdict == ""
    client.force_login(world.staff)
    response = client.get(f"/staff/proposals/projects/{year.project_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/staff/evaluations/{world.evaluation.pk}/"' in page
    assert "/verdict/" not in page
