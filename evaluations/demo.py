"""Demo 協働事業評価 for `make run`:

- the demo's adopted project (proposals' demo: last year's call, in its first year) evaluated
  all the way: targets confirmed, results, the group's, the department's and two council
  members' check sheets, and the council's verdict — which the proposals pillar shows as the
  year's verdict;
- a second project, adopted the year before, whose first year was evaluated and published
  last 年度, now in its second year with the group's and the department's sheets in and the
  council's turn open for the demo council member — so the year-on-year view has data and
  the council member has work.

Everything goes through the services. Idempotent: the first is found by its evaluation, the
second by its call's title. The notices the services queue are dropped (the console would
print each)."""

import contextlib
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from evaluations import services
from evaluations.enums import TargetKind
from evaluations.models import Evaluation, EvaluationReport
from kyodo.dates import fiscal_year, fiscal_year_label

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

SECOND_TITLE = "商店街と連携した子ども見守りパトロール事業"


@contextlib.contextmanager
def _without_notices():
    """Drop the notices queued in this block (seed_demo runs each seeder in a transaction)."""
    from kyodo.models import OutboxMail

    connection = transaction.get_connection()
    queued = len(connection.run_on_commit)
    last_mail = OutboxMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        yield
    finally:
        if connection.in_atomic_block:
            del connection.run_on_commit[queued:]
            OutboxMail.objects.filter(pk__gt=last_mail).delete()


def _owner(organization):
    membership = organization.memberships.filter(role="owner").select_related("user").first()
    return membership.user if membership else None


def _targets_rows(scale: int) -> list[dict]:
    return [
        {
            "kind": TargetKind.OUTCOME,
            "title": "地域で孤立しがちな高齢者の居場所ができる",
            "indicator": "サロンの延べ参加者数",
            "target_value": Decimal(600 * scale),
            "unit": "人",
        },
        {
            "kind": TargetKind.OUTCOME,
            "title": "見守りの担い手が増える",
            "indicator": "見守りボランティアの登録者数",
            "target_value": Decimal(20 * scale),
            "unit": "人",
        },
        {
            "kind": TargetKind.ACTIVITY,
            "title": "サロンの開催",
            "indicator": "65歳以上の区民",
            "target_value": Decimal(48),
            "unit": "回",
        },
        {
            "kind": TargetKind.BENEFICIARY,
            "title": "参加者の満足度",
            "indicator": "年2回の参加者アンケート（5段階で4以上の割合）",
            "target_value": Decimal(80),
            "unit": "%",
        },
    ]


def _results(evaluation, shares: list[Decimal]) -> dict:
    targets = list(evaluation.targets.targets.order_by("kind", "order", "pk"))
    return {
        t.pk: ((t.target_value * share).quantize(Decimal(1)), "アンケート集計と参加者名簿による。")
        for t, share in zip(targets, shares, strict=False)
    }


def _scores(evaluation, points: list[int]) -> dict:
    items = list(evaluation.template.items.order_by("order"))
    return {
        item.pk: (p, "" if p > 2 else "計画より参加者の広がりが遅れた。理由を分析し改善する。")
        for item, p in zip(items, points, strict=False)
    }


def _evaluate_through_department(
    evaluation, *, staff, owner, ward, council_members, rows, shares, points, today
):
    services.evaluation_targets_save(evaluation=evaluation, by=owner, rows=rows)
    services.evaluation_targets_confirm(evaluation=evaluation, by=staff)
    for member in council_members:
        services.council_assign(evaluation=evaluation, member=member, by=staff)
    services.evaluation_open(
        evaluation=evaluation,
        by=staff,
        self_due=today + dt.timedelta(days=7),
        department_due=today + dt.timedelta(days=14),
        council_due=today + dt.timedelta(days=28),
    )
    services.evaluation_results_save(
        evaluation=evaluation, by=owner, results=_results(evaluation, shares)
    )
    services.evaluation_evidence_add(
        evaluation=evaluation, by=owner, upload=ContentFile(DEMO_PDF, name="anketo-shukei.pdf")
    )
    services.sheet_save(
        evaluation=evaluation,
        by=owner,
        scores=_scores(evaluation, points),
        went_well="参加者同士の声かけが自然に生まれた。",
        issues="男性の参加が少ない。",
        improvements="男性向けの企画（囲碁・将棋）を月1回加える。",
        submit=True,
    )
    services.sheet_save(
        evaluation=evaluation,
        by=ward,
        scores=_scores(evaluation, [max(1, min(5, p - 1 + i % 2)) for i, p in enumerate(points)]),
        went_well="区だけでは届かない層に声が届いた。",
        issues="会場の確保が団体の負担になっている。",
        improvements="区施設の優先利用を調整する。",
        submit=True,
    )


def _council_sheets(evaluation, members, points):
    for index, member in enumerate(members):
        services.sheet_save(
            evaluation=evaluation,
            by=member,
            scores=_scores(evaluation, [min(5, p + (index % 2)) for p in points]),
            went_well="地域の担い手が育っている。",
            issues="事業費に対する参加者数の伸びが課題。",
            improvements="2年目は対象地域を広げ、効果測定を丁寧に。",
            submit=True,
        )


def _people():
    from proposals.demo import REVIEWERS  # the demo's council members and ward officials

    User = get_user_model()
    staff = User.objects.filter(email="staff@demo.kyodo.jp").first()
    ward = User.objects.filter(email="ward@demo.kyodo.jp").first()
    council = User.objects.filter(email="council@demo.kyodo.jp").first()
    council2 = User.objects.filter(email=REVIEWERS[0][0]).first()
    return staff, ward, council, council2


def _first_project(this_year, *, staff, ward, council, council2, today):
    """The proposals demo's adopted project: year 1 evaluated through to the verdict."""
    from proposals.models import ProjectYear
    from proposals.services import department_assign

    project_year = (
        ProjectYear.objects.filter(project__proposal__round__fiscal_year=this_year, year=1)
        .select_related("project__proposal__organization")
        .order_by("pk")
        .first()
    )
    if project_year is None or Evaluation.objects.filter(project_year=project_year).exists():
        return
    proposal = project_year.project.proposal
    owner = _owner(proposal.organization)
    if owner is None:
        return
    department_assign(proposal=proposal, by=staff, department="高齢者福祉課", official=ward)
    evaluation = services.evaluation_create(project_year=project_year, by=staff)
    _evaluate_through_department(
        evaluation,
        staff=staff,
        owner=owner,
        ward=ward,
        council_members=[council, council2],
        rows=_targets_rows(1),
        shares=[Decimal("0.92"), Decimal("1.1"), Decimal(1), Decimal("0.85")],
        points=[4, 3, 4, 3, 2, 4],
        today=today,
    )
    _council_sheets(evaluation, [council, council2], [4, 3, 4, 4, 3, 4])
    services.verdict_record(
        evaluation=evaluation,
        by=staff,
        verdict="continue_changes",
        text="一部修正を要するが継続すべきである。男性や新たな参加者への広がりを2年目の課題とし、"
        "事業費に見合う成果の測り方を所管課と見直すこと。",
        on=today,
    )


def _second_project(this_year, *, staff, ward, council, council2, today):
    """A project adopted the year before: year 1 evaluated and published last 年度; year 2
    with the council's turn open."""
    from organizations.models import Organization
    from proposals import projects
    from proposals.enums import ProposalStatus
    from proposals.models import Proposal, Round
    from proposals.services import department_assign

    start = this_year - 1
    title = f"{fiscal_year_label(start)} 協働事業提案"
    if Round.objects.filter(title=title, fiscal_year=start).exists():
        return
    organization = next(
        (
            o
            for o in Organization.objects.filter(status="registered").order_by("-pk")
            if _owner(o) is not None
        ),
        None,
    )
    if organization is None:
        return
    owner = _owner(organization)
    released = timezone.make_aware(dt.datetime(start - 1, 8, 20, 12))
    round_ = Round.objects.create(
        fiscal_year=start,
        title=title,
        title_en=f"Collaboration project proposals, fiscal year {start}",
        is_published=True,
        pre_consultation_from=dt.date(start - 1, 2, 1),
        pre_consultation_until=dt.date(start - 1, 4, 30),
        call_opens_on=dt.date(start - 1, 2, 1),
        submission_deadline=dt.date(start - 1, 4, 30),
        decision_due_on=dt.date(start - 1, 8, 20),
        decisions_released_at=released,
        decisions_released_by=staff,
    )
    proposal = Proposal.objects.create(
        round=round_,
        organization=organization,
        number=1,
        status=ProposalStatus.ADOPTED,
        kind="free",
        title=SECOND_TITLE,
        aims="下校時の子どもを商店街と地域で見守る。",
        outcome_target="見守りの空白時間帯をなくす",
        activity_indicator="パトロールの実施回数",
        beneficiary_target="保護者アンケートの安心度",
        created_by=owner,
    )
    department_assign(proposal=proposal, by=staff, department="地域振興課", official=ward)
    project = projects.project_start(proposal, by=staff)
    projects.project_budget_passed(
        project=project, by=staff, on=dt.date(start, 3, 15), amount=900_000
    )
    projects.project_agreement(
        project=project,
        by=staff,
        upload=ContentFile(DEMO_PDF, name="kyotei.pdf"),
        signed_on=dt.date(start, 3, 25),
        starts_on=dt.date(start, 4, 1),
        ends_on=dt.date(start + 2, 3, 31),
    )
    projects.project_start_year(project=project, by=staff, year=1)
    first_year = project.years.get(year=1)
    first = services.evaluation_create(project_year=first_year, by=staff)
    _evaluate_through_department(
        first,
        staff=staff,
        owner=owner,
        ward=ward,
        council_members=[council, council2],
        rows=_targets_rows(1),
        shares=[Decimal("0.7"), Decimal("0.8"), Decimal("0.9"), Decimal("0.75")],
        points=[3, 3, 3, 3, 2, 3],
        today=today,
    )
    _council_sheets(first, [council, council2], [3, 2, 3, 3, 3, 3])
    services.verdict_record(
        evaluation=first,
        by=staff,
        verdict="continue",
        text="継続すべきである。商店街との連携が定着しつつあり、2年目は空白時間帯の解消を目指すこと。",
        on=dt.date(start + 1, 2, 20),
    )
    services.report_publish(fiscal_year=start, by=staff)
    EvaluationReport.objects.filter(fiscal_year=start).update(
        published_at=timezone.make_aware(dt.datetime(start + 1, 3, 10, 12))
    )
    projects.project_start_year(project=project, by=staff, year=2)
    second = services.evaluation_create(project_year=project.years.get(year=2), by=staff)
    _evaluate_through_department(
        second,
        staff=staff,
        owner=owner,
        ward=ward,
        council_members=[council, council2],
        rows=_targets_rows(2),
        shares=[Decimal("0.95"), Decimal("1.05"), Decimal(1), Decimal("0.9")],
        points=[4, 4, 4, 4, 3, 4],
        today=today,
    )
    # council2 has scored; the demo council member's sheet is left to do.
    _council_sheets(second, [council2], [4, 4, 4, 4, 4, 4])


def seed_evaluations(stdout):
    staff, ward, council, council2 = _people()
    if None in (staff, ward, council, council2):
        return []
    today = timezone.localdate()
    this_year = fiscal_year(today)
    with transaction.atomic(), _without_notices():
        _first_project(
            this_year, staff=staff, ward=ward, council=council, council2=council2, today=today
        )
        _second_project(
            this_year, staff=staff, ward=ward, council=council, council2=council2, today=today
        )
    return []
