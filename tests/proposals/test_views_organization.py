"""The organization's own proposals: a permission matrix for every view (anonymous, a
stranger, the owner of another organization, a メンバー, a 管理者, the 代表管理者, staff, and
reviewers), and what each view does: create, write the sheet and the budget, attach files,
submit, withdraw, follow the decision and the project."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyodo.models import DocumentStatus
from organizations.acting import SESSION_KEY
from proposals import services
from proposals.models import (
    Project,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalVersion,
)
from proposals.services import TEXT_FIELDS
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    ProposalFactory,
    RoundFactory,
    StaffFactory,
    StageFactory,
    ThemeFactory,
    WardOfficialFactory,
)
from tests.proposals.conftest import manager_of, submitted_proposal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TOKYO = ZoneInfo("Asia/Tokyo")

# who → status for what any member may see / what only managers may do
VIEWERS = {
    "stranger": 404,
    "outsider": 404,
    "member": 200,
    "manager": 200,
    "owner": 200,
    "staff": 200,
}
MANAGERS = {**VIEWERS, "member": 403}


def _pdf(name="keikaku.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _tokyo(day: dt.date, hour=0, minute=0, second=0):
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=TOKYO)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response


@pytest.fixture
def draft(people, organization):
    """A complete draft of ``organization`` (people's organization) in an open call."""
    return ProposalFactory(organization=organization)


@pytest.fixture
def submitted(people, organization):
    return submitted_proposal(organization=organization)


def _sheet_post(proposal, rows=None, initial=None, **fields):
    """What the edit form posts: the sheet (as saved, with ``fields`` changed) and the budget
    ``rows`` (dicts; the saved lines by default). ``initial`` rows are the saved ones."""
    data = {name: getattr(proposal, name) or "" for name in TEXT_FIELDS}
    data["kind"] = proposal.kind
    data["theme"] = proposal.theme_id or ""
    data.update(fields)
    saved = [
        {
            "year": line.year,
            "category": line.category,
            "item": line.item,
            "amount": line.amount,
            "borne_by": line.borne_by,
        }
        for line in proposal.budget_lines.all()
    ]
    rows = saved if rows is None else rows
    data["budget-TOTAL_FORMS"] = str(len(rows))
    data["budget-INITIAL_FORMS"] = str(len(saved) if initial is None else initial)
    data["budget-MIN_NUM_FORMS"] = "0"
    data["budget-MAX_NUM_FORMS"] = "1000"
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"budget-{index}-{key}"] = value
    return data


def _attach(proposal, title="収支予算の内訳"):
    return services.attachment_add(
        proposal=proposal, by=manager_of(proposal.organization), title=title, upload=_pdf()
    )


# --- anonymous visitors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "kwargs"),
    [
        ("mine", "get", None),
        ("create", "get", "round"),
        ("detail", "get", "proposal"),
        ("edit", "get", "proposal"),
        ("attachment_add", "post", "proposal"),
        ("attachment_remove", "post", "attachment"),
        ("attachment", "get", "attachment"),
        ("submit", "get", "proposal"),
        ("submit", "post", "proposal"),
        ("withdraw", "get", "proposal"),
        ("withdraw", "post", "proposal"),
        ("letter", "get", "proposal"),
    ],
)
def test_anonymous_visitors_are_asked_to_log_in(client, draft, name, method, kwargs):
    attachment = _attach(draft)
    args = {
        None: [],
        "round": [draft.round_id],
        "proposal": [draft.pk],
        "attachment": [draft.pk, attachment.pk],
    }[kwargs]
    response = getattr(client, method)(reverse(f"proposals:{name}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert ProposalAttachment.objects.filter(pk=attachment.pk).exists()


# --- the list ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", list(VIEWERS))
def test_mine_lists_only_the_users_own_organizations_proposals(client, people, draft, who):
    client.force_login(people[who])
    response = client.get(reverse("proposals:mine"))
    assert response.status_code == 200
    shown = [row["proposal"] for row in response.context["rows"]]
    if who in ("member", "manager", "owner"):
        assert shown == [draft]
        assert draft.title in response.content.decode()
    else:
        assert shown == []
        assert draft.title not in response.content.decode()


def test_mine_shows_the_acting_organization_or_all_of_them(client, people, draft):
    other = OrganizationFactory()
    MembershipFactory(organization=other, user=people["manager"], role="member")
    theirs = ProposalFactory(organization=other, title="もう一つの団体の提案")
    client.force_login(people["manager"])
    session = client.session
    session[SESSION_KEY] = other.pk
    session.save()
    acting = client.get(reverse("proposals:mine"))
    assert [row["proposal"] for row in acting.context["rows"]] == [theirs]
    everything = client.get(reverse("proposals:mine") + "?all=1")
    assert {row["proposal"] for row in everything.context["rows"]} == {draft, theirs}


def test_mine_shows_a_decision_only_once_released(client, people, organization, staff):
    proposal = submitted_proposal(organization=organization)
    services.decision_prepare(
        proposal=proposal, by=staff, outcome="adopted", council_comment="高く評価する"
    )
    client.force_login(people["member"])
    row = client.get(reverse("proposals:mine")).context["rows"][0]
    assert row["decided"] is False
    services.decisions_release(round_=proposal.round, by=staff)
    response = client.get(reverse("proposals:mine"))
    row = response.context["rows"][0]
    assert row["decided"] is True
    assert "Adopted" in response.content.decode()


def test_mine_shows_the_deadline_of_drafts(client, people, draft):
    client.force_login(people["member"])
    html = client.get(reverse("proposals:mine")).content.decode()
    assert f"{draft.round.submission_deadline:%Y-%m-%d} 23:59" in html


@pytest.mark.parametrize("scope", ["", "?all=1"])
def test_mine_runs_the_same_queries_for_one_proposal_or_many(
    client, people, organization, django_assert_num_queries, scope
):
    ProposalFactory(organization=organization)
    client.force_login(people["owner"])
    url = reverse("proposals:mine") + scope
    client.get(url)  # warm up
    count, response = _queries(client, url)
    assert len(response.context["rows"]) == 1
    for _ in range(4):
        submitted_proposal(organization=organization)
    with django_assert_num_queries(count):
        response = client.get(url)
    assert len(response.context["rows"]) == 5


# --- starting a proposal -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("stranger", 403),
        ("outsider", 200),  # the owner of another valid organization proposes for it
        ("member", 403),
        ("manager", 200),
        ("owner", 200),
        ("staff", 403),
    ],
)
def test_create_page_is_for_managers_of_valid_organizations(client, people, call, who, status):
    client.force_login(people[who])
    assert client.get(reverse("proposals:create", args=[call.pk])).status_code == status


def test_creating_a_proposal_makes_a_draft_and_opens_the_sheet(client, people, organization, call):
    theme = ThemeFactory(round=call, department="環境政策課")
    client.force_login(people["manager"])
    response = client.post(
        reverse("proposals:create", args=[call.pk]),
        {
            "organization": organization.pk,
            "kind": "theme",
            "theme": theme.pk,
            "title": "  水辺の清掃と環境学習  ",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:edit", args=[proposal.pk])
    assert (proposal.title, proposal.status) == ("水辺の清掃と環境学習", "draft")
    assert proposal.theme == theme
    assert proposal.organization == organization
    assert proposal.department == "環境政策課"
    assert proposal.events.get().new_status == "draft"


def test_a_theme_of_another_call_is_refused(client, people, organization, call):
    foreign = ThemeFactory(round=RoundFactory())
    ThemeFactory(round=call)
    client.force_login(people["manager"])
    response = client.post(
        reverse("proposals:create", args=[call.pk]),
        {"organization": organization.pk, "kind": "theme", "theme": foreign.pk, "title": "提案"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["theme"]
    assert not Proposal.objects.exists()


def test_an_organization_the_user_does_not_manage_cannot_be_chosen(client, people, call):
    other = OrganizationFactory()
    client.force_login(people["manager"])
    response = client.post(
        reverse("proposals:create", args=[call.pk]),
        {"organization": other.pk, "kind": "free", "title": "提案"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert not Proposal.objects.exists()


def test_a_closed_call_takes_no_new_proposal(client, people, organization):
    closed = RoundFactory(
        call_opens_on=timezone.localdate() - dt.timedelta(days=60),
        submission_deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    client.force_login(people["owner"])
    response = client.post(
        reverse("proposals:create", args=[closed.pk]),
        {"organization": organization.pk, "kind": "free", "title": "遅れた提案"},
        follow=True,
    )
    assert "This call is not open for proposals." in response.content.decode()
    assert not Proposal.objects.exists()


def test_an_unpublished_call_is_not_found_for_creating(client, people):
    hidden = RoundFactory(is_published=False)
    client.force_login(people["owner"])
    assert client.get(reverse("proposals:create", args=[hidden.pk])).status_code == 404


# --- one proposal --------------------------------------------------------------------------


@pytest.mark.parametrize("who", list(VIEWERS))
def test_detail_matrix(client, people, draft, who):
    client.force_login(people[who])
    response = client.get(reverse("proposals:detail", args=[draft.pk]))
    assert response.status_code == VIEWERS[who]
    if response.status_code == 200:
        assert draft.title in response.content.decode()


@pytest.mark.parametrize("reviewer", ["council", "official", "chair"])
@pytest.mark.parametrize("name", ["detail", "edit", "submit", "withdraw", "letter"])
def test_reviewers_see_neither_drafts_nor_submitted_proposals_here(
    client, in_review, reviewer, name
):
    draft = ProposalFactory(round=in_review["round"])
    client.force_login(in_review[reviewer])
    for proposal in (draft, in_review["proposals"][0]):
        assert client.get(reverse(f"proposals:{name}", args=[proposal.pk])).status_code == 404


def test_a_draft_shows_what_is_missing_and_the_deadline(client, people, organization):
    draft = ProposalFactory(organization=organization, aims="", budget=False)
    client.force_login(people["owner"])
    response = client.get(reverse("proposals:detail", args=[draft.pk]))
    html = response.content.decode()
    assert "Aims of the project" in html
    assert "Budget of year 1" in html and "Budget of year 2" in html
    assert f"{draft.round.submission_deadline:%Y-%m-%d}, 23:59 Tokyo time" in html
    assert reverse("proposals:edit", args=[draft.pk]) in html
    assert reverse("proposals:submit", args=[draft.pk]) in html


def test_a_plain_member_sees_the_proposal_without_the_buttons(client, people, draft):
    client.force_login(people["member"])
    html = client.get(reverse("proposals:detail", args=[draft.pk])).content.decode()
    assert draft.issue in html
    assert reverse("proposals:edit", args=[draft.pk]) not in html
    assert reverse("proposals:submit", args=[draft.pk]) not in html
    assert reverse("proposals:withdraw", args=[draft.pk]) not in html


def test_a_submitted_proposal_shows_the_frozen_version_with_its_files(client, people, draft):
    attachment = _attach(draft, title="団体の活動報告")
    services.proposal_submit(proposal=draft, by=people["owner"])
    client.force_login(people["member"])
    response = client.get(reverse("proposals:detail", args=[draft.pk]))
    html = response.content.decode()
    assert response.context["version_view"]["version"] == draft.versions.get()
    assert "団体の活動報告" in html
    assert reverse("proposals:attachment", args=[draft.pk, attachment.pk]) in html
    assert reverse("proposals:edit", args=[draft.pk]) not in html
    assert "In review" in html


def test_a_returned_proposal_shows_the_reason_and_the_new_deadline(client, people, submitted):
    new_deadline = timezone.localdate() + dt.timedelta(days=7)
    services.proposal_return(
        proposal=submitted,
        by=StaffFactory(),
        reason="予算の積算根拠を追記してください。",
        resubmit_by=new_deadline,
    )
    client.force_login(people["manager"])
    response = client.get(reverse("proposals:detail", args=[submitted.pk]))
    html = response.content.decode()
    assert response.context["return_event"].reason == "予算の積算根拠を追記してください。"
    assert "予算の積算根拠を追記してください。" in html
    assert f"{new_deadline:%Y-%m-%d}, 23:59 Tokyo time" in html
    assert reverse("proposals:edit", args=[submitted.pk]) in html


def test_the_history_lists_every_step(client, people, submitted):
    client.force_login(people["member"])
    response = client.get(reverse("proposals:detail", args=[submitted.pk]))
    labels = [row["new_label"] for row in response.context["events"]]
    assert labels == ["Submitted"]  # the factory's draft has no creation event
    services.proposal_withdraw(proposal=submitted, by=people["owner"], reason="体制が整わない")
    response = client.get(reverse("proposals:detail", args=[submitted.pk]))
    assert [row["new_label"] for row in response.context["events"]] == ["Submitted", "Withdrawn"]
    assert "体制が整わない" in response.content.decode()


def _ready_letter(decision):
    document = decision.letter
    document.file.save("decision.pdf", ContentFile(PDF), save=False)
    document.status = DocumentStatus.READY
    document.save()
    return document


def test_the_decision_is_hidden_until_released_then_shown_with_letter_and_project(
    client, people, submitted, staff
):
    services.decision_prepare(
        proposal=submitted,
        by=staff,
        outcome="adopted_conditions",
        council_comment="地域への波及が期待できる。",
        conditions="中間報告を提出すること。",
    )
    client.force_login(people["member"])
    response = client.get(reverse("proposals:detail", args=[submitted.pk]))
    html = response.content.decode()
    assert response.context["decision"] is None
    assert "地域への波及が期待できる。" not in html
    assert "中間報告を提出すること。" not in html
    assert "Adopted" not in html
    assert client.get(reverse("proposals:letter", args=[submitted.pk])).status_code == 404

    (decision,) = services.decisions_release(round_=submitted.round, by=staff)
    response = client.get(reverse("proposals:detail", args=[submitted.pk]))
    html = response.content.decode()
    assert "地域への波及が期待できる。" in html and "中間報告を提出すること。" in html
    assert "The decision letter is being prepared." in html
    assert response.context["project"].years.count() == 2
    assert "Consulting with the department" in html

    _ready_letter(decision)
    html = client.get(reverse("proposals:detail", args=[submitted.pk])).content.decode()
    assert reverse("proposals:letter", args=[submitted.pk]) in html


@pytest.mark.parametrize("who", list(VIEWERS))
def test_the_decision_letter_goes_to_members_and_staff(client, people, submitted, staff, who):
    services.decision_prepare(proposal=submitted, by=staff, outcome="not_adopted")
    (decision,) = services.decisions_release(round_=submitted.round, by=staff)
    _ready_letter(decision)
    client.force_login(people[who])
    response = client.get(reverse("proposals:letter", args=[submitted.pk]))
    assert response.status_code == VIEWERS[who]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")


# --- writing the sheet ---------------------------------------------------------------------


@pytest.mark.parametrize("who", list(MANAGERS))
def test_edit_matrix(client, people, draft, who):
    client.force_login(people[who])
    response = client.get(reverse("proposals:edit", args=[draft.pk]))
    assert response.status_code == MANAGERS[who]
    if response.status_code == 200:
        assert response.context["form"].initial["title"] == draft.title


@pytest.mark.parametrize("who", list(MANAGERS))
def test_only_managers_can_save(client, people, draft, who):
    client.force_login(people[who])
    response = client.post(
        reverse("proposals:edit", args=[draft.pk]), _sheet_post(draft, aims="書き換えた目的")
    )
    draft.refresh_from_db()
    if MANAGERS[who] == 200:
        assert response.status_code == 302
        assert draft.aims == "書き換えた目的"
    else:
        assert response.status_code == MANAGERS[who]
        assert draft.aims != "書き換えた目的"


def test_the_edit_form_saves_text_and_budget_lines(client, people, organization):
    draft = ProposalFactory(organization=organization, budget=False, year2_schedule="")
    client.force_login(people["manager"])
    rows = [
        {
            "year": "1",
            "category": "fees",
            "item": " 講師謝礼 10,000円×6回 ",
            "amount": "６０，０００",
            "borne_by": "ward",
        },
        {
            "year": "1",
            "category": "venue",
            "item": "会場費",
            "amount": "¥12,000",
            "borne_by": "group",
        },
        {
            "year": "2",
            "category": "printing",
            "item": "チラシ",
            "amount": "30000",
            "borne_by": "ward",
        },
        {"year": "", "category": "", "item": "", "amount": "", "borne_by": "ward"},  # left empty
    ]
    response = client.post(
        reverse("proposals:edit", args=[draft.pk]),
        _sheet_post(draft, rows=rows, initial=0, year2_schedule="  4月〜3月 毎月  "),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.year2_schedule == "4月〜3月 毎月"
    lines = list(draft.budget_lines.values_list("year", "category", "item", "amount", "borne_by"))
    assert lines == [
        (1, "fees", "講師謝礼 10,000円×6回", 60000, "ward"),
        (1, "venue", "会場費", 12000, "group"),
        (2, "printing", "チラシ", 30000, "ward"),
    ]
    # back on the sheet: the totals of each year as saved, and three empty lines to add more
    page = client.get(response["Location"])
    totals = {y["year"]: y["totals"] for y in page.context["budget_years"]}
    assert totals[1] == {"ward": 60000, "group": 12000, "total": 72000}
    assert totals[2] == {"ward": 30000, "group": 0, "total": 30000}
    assert totals[0]["total"] == 102000
    assert "102,000" in page.content.decode()
    assert page.context["formset"].total_form_count() == 6


def test_a_budget_line_is_removed_with_its_tick(client, people, draft):
    client.force_login(people["owner"])
    data = _sheet_post(draft)
    data["budget-1-DELETE"] = "on"
    client.post(reverse("proposals:edit", args=[draft.pk]), {**data, "close": ""})
    assert list(draft.budget_lines.values_list("item", flat=True)) == ["食材", "食材"]


def test_save_and_close_goes_to_the_proposal(client, people, draft):
    client.force_login(people["owner"])
    response = client.post(
        reverse("proposals:edit", args=[draft.pk]), {**_sheet_post(draft), "close": ""}
    )
    assert response["Location"] == reverse("proposals:detail", args=[draft.pk])


def test_an_invalid_form_keeps_what_was_typed(client, people, draft):
    client.force_login(people["owner"])
    rows = [{"year": "1", "category": "fees", "item": "謝礼", "amount": "-5", "borne_by": "ward"}]
    response = client.post(
        reverse("proposals:edit", args=[draft.pk]),
        _sheet_post(draft, rows=rows, initial=0, issue="新しく書いた課題の説明"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "新しく書いた課題の説明" in html
    assert "Nothing was saved yet" in html
    draft.refresh_from_db()
    assert draft.issue != "新しく書いた課題の説明"
    assert draft.budget_lines.count() == 3


def test_a_submitted_proposal_cannot_be_edited(client, people, submitted):
    client.force_login(people["owner"])
    response = client.get(reverse("proposals:edit", args=[submitted.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("proposals:detail", args=[submitted.pk])
    assert "can no longer be changed" in response.content.decode()
    response = client.post(
        reverse("proposals:edit", args=[submitted.pk]), _sheet_post(submitted, aims="後から変更")
    )
    assert response.status_code == 200
    assert "can no longer be changed" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.aims != "後から変更"


def test_after_the_deadline_the_edit_view_refuses_but_keeps_the_input(client, people, draft):
    deadline = draft.round.submission_deadline
    with time_machine.travel(_tokyo(deadline, 23, 59, 0), tick=False):
        client.force_login(people["owner"])
        assert client.get(reverse("proposals:edit", args=[draft.pk])).status_code == 200
    with time_machine.travel(_tokyo(deadline + dt.timedelta(days=1), 0, 0, 1), tick=False):
        client.force_login(people["owner"])
        response = client.get(reverse("proposals:edit", args=[draft.pk]), follow=True)
        assert response.redirect_chain[-1][0] == reverse("proposals:detail", args=[draft.pk])
        assert "has passed" in response.content.decode()
        response = client.post(
            reverse("proposals:edit", args=[draft.pk]), _sheet_post(draft, aims="締切後の修正")
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "has passed" in html and "締切後の修正" in html
    draft.refresh_from_db()
    assert draft.aims != "締切後の修正"


def test_a_returned_proposal_can_be_edited_until_its_new_deadline(client, people, submitted):
    new_deadline = timezone.localdate() + dt.timedelta(days=3)
    services.proposal_return(
        proposal=submitted, by=StaffFactory(), reason="追記を", resubmit_by=new_deadline
    )
    client.force_login(people["owner"])
    response = client.post(
        reverse("proposals:edit", args=[submitted.pk]), _sheet_post(submitted, aims="追記した目的")
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.aims == "追記した目的"


# --- attachments ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", list(MANAGERS))
def test_attaching_a_file_is_for_managers(client, people, draft, who):
    client.force_login(people[who])
    response = client.post(
        reverse("proposals:attachment_add", args=[draft.pk]),
        {"title": " 事業計画の補足 ", "file": _pdf()},
    )
    allowed = MANAGERS[who] == 200
    assert response.status_code == (302 if allowed else MANAGERS[who])
    assert list(draft.attachments.values_list("title", flat=True)) == (
        ["事業計画の補足"] if allowed else []
    )


def test_a_file_that_is_not_what_it_claims_is_refused(client, people, draft):
    client.force_login(people["owner"])
    response = client.post(
        reverse("proposals:attachment_add", args=[draft.pk]),
        {"title": "偽物", "file": _pdf("tool.pdf", b"MZ\x90\x00 not a pdf")},
        follow=True,
    )
    assert "does not match its name" in response.content.decode()
    assert not draft.attachments.exists()


def test_attachments_are_posted_only(client, people, draft):
    client.force_login(people["owner"])
    assert client.get(reverse("proposals:attachment_add", args=[draft.pk])).status_code == 405


@pytest.mark.parametrize("who", list(MANAGERS))
def test_removing_a_file_is_for_managers(client, people, draft, who):
    attachment = _attach(draft)
    client.force_login(people[who])
    response = client.post(reverse("proposals:attachment_remove", args=[draft.pk, attachment.pk]))
    allowed = MANAGERS[who] == 200
    assert response.status_code == (302 if allowed else MANAGERS[who])
    assert ProposalAttachment.objects.filter(pk=attachment.pk).exists() is not allowed


def test_a_file_of_a_submitted_version_stays_downloadable_after_removal(client, people, draft):
    attachment = _attach(draft, title="最初の資料")
    services.proposal_submit(proposal=draft, by=people["owner"])
    services.proposal_return(
        proposal=draft,
        by=StaffFactory(),
        reason="差し替えを",
        resubmit_by=timezone.localdate() + dt.timedelta(days=5),
    )
    client.force_login(people["owner"])
    client.post(reverse("proposals:attachment_remove", args=[draft.pk, attachment.pk]))
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    response = client.get(reverse("proposals:detail", args=[draft.pk]))
    assert list(response.context["attachments"]) == []
    download = client.get(reverse("proposals:attachment", args=[draft.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("who", list(VIEWERS))
def test_files_are_served_to_members_and_staff_only(client, people, draft, who):
    attachment = _attach(draft)
    client.force_login(people[who])
    response = client.get(reverse("proposals:attachment", args=[draft.pk, attachment.pk]))
    assert response.status_code == VIEWERS[who]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert "keikaku.pdf" in response["Content-Disposition"]


def test_a_file_of_another_proposal_is_not_found_through_ours(client, people, draft):
    foreign = _attach(ProposalFactory())
    client.force_login(people["owner"])
    response = client.get(reverse("proposals:attachment", args=[draft.pk, foreign.pk]))
    assert response.status_code == 404
    response = client.post(reverse("proposals:attachment_remove", args=[draft.pk, foreign.pk]))
    assert response.status_code == 404
    assert ProposalAttachment.objects.filter(pk=foreign.pk).exists()


# --- submitting and withdrawing ------------------------------------------------------------


@pytest.mark.parametrize("who", list(MANAGERS))
@pytest.mark.parametrize("name", ["submit", "withdraw"])
def test_confirmation_pages_are_for_managers(client, people, draft, who, name):
    client.force_login(people[who])
    response = client.get(reverse(f"proposals:{name}", args=[draft.pk]))
    assert response.status_code == MANAGERS[who]


def test_submitting_freezes_a_version_and_tells_the_managers(client, people, draft, run_on_commit):
    client.force_login(people["manager"])
    with run_on_commit():
        response = client.post(reverse("proposals:submit", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    version = ProposalVersion.objects.get(proposal=draft)
    assert draft.submitted_version == version
    assert version.data["title"] == draft.title
    assert version.submitted_by == people["manager"]
    assert "The proposal was submitted." in response.content.decode()
    assert {m.to[0] for m in mail.outbox} >= {people["owner"].email, people["manager"].email}


@pytest.mark.parametrize("who", ["member", "outsider", "stranger"])
def test_others_cannot_submit(client, people, draft, who):
    client.force_login(people[who])
    response = client.post(reverse("proposals:submit", args=[draft.pk]))
    assert response.status_code == MANAGERS[who]
    assert not ProposalVersion.objects.exists()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_incomplete_proposal_is_not_submitted(client, people, organization):
    draft = ProposalFactory(organization=organization, role_ward="")
    client.force_login(people["owner"])
    page = client.get(reverse("proposals:submit", args=[draft.pk]))
    assert page.context["missing"] == ["the ward's part"]
    response = client.post(reverse("proposals:submit", args=[draft.pk]), follow=True)
    assert "Fill in before submitting" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not ProposalVersion.objects.exists()


def test_submitting_after_the_deadline_is_refused(client, people, draft):
    day_after = draft.round.submission_deadline + dt.timedelta(days=1)
    with time_machine.travel(_tokyo(day_after, 0, 0, 1), tick=False):
        client.force_login(people["owner"])
        response = client.post(reverse("proposals:submit", args=[draft.pk]), follow=True)
        assert "has passed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not ProposalVersion.objects.exists()


def test_submitting_at_23_59_on_the_deadline_is_accepted(client, people, draft):
    with time_machine.travel(_tokyo(draft.round.submission_deadline, 23, 59, 59), tick=False):
        client.force_login(people["owner"])
        client.post(reverse("proposals:submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_withdrawing_with_a_reason(client, people, submitted):
    client.force_login(people["owner"])
    response = client.post(
        reverse("proposals:withdraw", args=[submitted.pk]),
        {"reason": "  代表者の転居のため  "},
        follow=True,
    )
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"
    event = ProposalEvent.objects.filter(proposal=submitted).latest("pk")
    assert (event.new_status, event.reason) == ("withdrawn", "代表者の転居のため")
    assert "The proposal was withdrawn." in response.content.decode()


@pytest.mark.parametrize("who", ["member", "outsider", "stranger"])
def test_others_cannot_withdraw(client, people, submitted, who):
    client.force_login(people[who])
    response = client.post(reverse("proposals:withdraw", args=[submitted.pk]), {"reason": ""})
    assert response.status_code == MANAGERS[who]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_decided_proposal_cannot_be_withdrawn(client, people, submitted, staff):
    services.decision_prepare(proposal=submitted, by=staff, outcome="not_adopted")
    services.decisions_release(round_=submitted.round, by=staff)
    client.force_login(people["owner"])
    page = client.get(reverse("proposals:withdraw", args=[submitted.pk]))
    assert "can no longer be withdrawn" in page.content.decode()
    response = client.post(reverse("proposals:withdraw", args=[submitted.pk]), follow=True)
    assert "cannot go from" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "not_adopted"


# --- マイページ -------------------------------------------------------------------------------


def test_my_page_lists_the_organizations_proposals(client, people, draft):
    client.force_login(people["member"])
    html = client.get(reverse("accounts:mypage")).content.decode()
    assert draft.title in html
    assert reverse("proposals:detail", args=[draft.pk]) in html
    assert reverse("proposals:mine") in html


# --- the timeline the organization sees ----------------------------------------------------


def _named_staff():
    return StaffFactory(family_name="内部", given_name="職員子", email="naibu.tanto@center.example")


def _timeline(client, proposal):
    response = client.get(reverse("proposals:detail", args=[proposal.pk]))
    return response, response.content.decode()


def test_the_history_never_shows_staff_notes_the_unshortlisting_or_who_on_the_staff_acted(
    client, people, submitted
):
    staff = _named_staff()
    official = WardOfficialFactory(family_name="所管", given_name="課長太郎")
    second = StageFactory(round=submitted.round, number=2, status="preparing")
    services.department_assign(
        proposal=submitted, by=staff, department="環境政策課", official=official
    )
    services.pre_consultation_record(proposal=submitted, by=staff, on=timezone.localdate())
    services.proposal_shortlist(proposal=submitted, stage=second, by=staff, place="会議室")
    services.proposal_unshortlist(
        proposal=submitted, stage=second, by=staff, reason="審査会で対象外と判断（内部メモ）"
    )
    services.proposal_return(
        proposal=submitted,
        by=staff,
        reason="収支予算の根拠を補ってください。",
        resubmit_by=timezone.localdate() + dt.timedelta(days=7),
    )
    assert ProposalEvent.objects.filter(proposal=submitted).count() == 6  # the staff's record
    for who in ("member", "owner"):
        client.force_login(people[who])
        response, html = _timeline(client, submitted)
        rows = response.context["events"]
        assert [row["new_label"] for row in rows] == ["Submitted", "Returned for changes"]
        assert "収支予算の根拠を補ってください。" in html  # the return reason is for them
        assert "審査会で対象外と判断" not in html
        assert "環境政策課" not in html and official.get_full_name() not in html
        assert "Prior consultation recorded" not in html
        assert staff.email not in html and staff.get_full_name() not in html
        assert rows[1]["who"] == "the center"
        assert "(the center)" in html


def test_the_history_names_the_members_who_acted_for_the_organization(client, people, draft):
    owner = people["owner"]
    services.proposal_submit(proposal=draft, by=owner)
    services.proposal_return(
        proposal=draft,
        by=_named_staff(),
        reason="事業費を見直してください。",
        resubmit_by=timezone.localdate() + dt.timedelta(days=7),
    )
    services.proposal_submit(proposal=draft, by=owner)
    services.proposal_withdraw(proposal=draft, by=owner, reason="体制が整わないため")
    client.force_login(people["member"])
    response, html = _timeline(client, draft)
    rows = response.context["events"]
    assert [(row["new_label"], row["who"]) for row in rows] == [
        ("Submitted", owner.get_full_name()),
        ("Returned for changes", "the center"),
        ("Submitted again", owner.get_full_name()),
        ("Withdrawn", owner.get_full_name()),
    ]
    assert [row["reason"] for row in rows] == [
        "",
        "事業費を見直してください。",
        "",
        "体制が整わないため",
    ]
    assert "体制が整わないため" in html and "事業費を見直してください。" in html


def test_a_standing_shortlisting_and_the_released_decision_are_shown_without_reasons(
    client, people, submitted, staff
):
    second = StageFactory(round=submitted.round, number=2, status="preparing")
    services.proposal_shortlist(proposal=submitted, stage=second, by=staff, place="会議室")
    client.force_login(people["member"])
    response, _html = _timeline(client, submitted)
    labels = [row["new_label"] for row in response.context["events"]]
    assert labels == ["Submitted", "Shortlisted for the presentation"]
    services.decision_prepare(
        proposal=submitted, by=staff, outcome="not_adopted", council_comment="委員会の講評"
    )
    response, _html = _timeline(client, submitted)
    assert len(response.context["events"]) == 2  # nothing before the release
    services.decisions_release(round_=submitted.round, by=staff)
    response, _html = _timeline(client, submitted)
    rows = response.context["events"]
    assert [row["new_label"] for row in rows] == [
        "Submitted",
        "Shortlisted for the presentation",
        "Not adopted",
    ]
    assert rows[-1]["who"] == "the center" and rows[-1]["reason"] == ""
    assert all(row["reason"] == "" for row in rows)


def test_the_history_runs_the_same_queries_for_few_and_many_steps(
    client, people, draft, django_assert_num_queries
):
    owner, staff = people["owner"], _named_staff()
    services.proposal_submit(proposal=draft, by=owner)
    client.force_login(people["member"])
    url = reverse("proposals:detail", args=[draft.pk])
    with_one, _response = _queries(client, url)
    for _ in range(3):
        services.proposal_return(
            proposal=draft,
            by=staff,
            reason="修正してください。",
            resubmit_by=timezone.localdate() + dt.timedelta(days=7),
        )
        services.proposal_submit(proposal=draft, by=owner)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert len(response.context["events"]) == 7


# --- the signed agreement ------------------------------------------------------------------


def _adopted_project(submitted, staff, with_file=True):
    services.decision_prepare(proposal=submitted, by=staff, outcome="adopted")
    services.decisions_release(round_=submitted.round, by=staff)
    project = Project.objects.get(proposal=submitted)
    if with_file:
        project.agreement_file.save("kyotei.pdf", ContentFile(PDF))
    return project


@pytest.mark.parametrize("who", list(VIEWERS))
def test_the_agreement_goes_to_members_and_staff(client, people, submitted, staff, who):
    _adopted_project(submitted, staff)
    client.force_login(people[who])
    response = client.get(reverse("proposals:agreement", args=[submitted.pk]))
    assert response.status_code == VIEWERS[who]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert "kyotei" in response["Content-Disposition"]
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("reviewer", ["council", "official", "chair"])
def test_reviewers_do_not_get_the_agreement(client, in_review, reviewer):
    submitted, staff = in_review["proposals"][0], in_review["staff"]
    for index, proposal in enumerate(in_review["proposals"]):
        services.decision_prepare(
            proposal=proposal, by=staff, outcome="adopted" if index == 0 else "not_adopted"
        )
    services.decisions_release(round_=in_review["round"], by=staff)
    Project.objects.get(proposal=submitted).agreement_file.save("kyotei.pdf", ContentFile(PDF))
    client.force_login(in_review[reviewer])
    assert client.get(reverse("proposals:agreement", args=[submitted.pk])).status_code == 404


def test_anonymous_visitors_log_in_for_the_agreement(client, people, submitted, staff):
    _adopted_project(submitted, staff)
    response = client.get(reverse("proposals:agreement", args=[submitted.pk]))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_no_agreement_without_a_project_or_a_file(client, people, submitted, staff):
    client.force_login(people["member"])
    url = reverse("proposals:agreement", args=[submitted.pk])
    assert client.get(url).status_code == 404  # no project yet
    _adopted_project(submitted, staff, with_file=False)
    assert client.get(url).status_code == 404  # no signed agreement yet
    html = client.get(reverse("proposals:detail", args=[submitted.pk])).content.decode()
    assert url not in html


def test_the_project_section_links_the_signed_agreement(client, people, submitted, staff):
    _adopted_project(submitted, staff)
    client.force_login(people["member"])
    html = client.get(reverse("proposals:detail", args=[submitted.pk])).content.decode()
    assert reverse("proposals:agreement", args=[submitted.pk]) in html
