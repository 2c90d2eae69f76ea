"""The PDFs of 協働事業提案: the proposal as submitted, the review packet, a reviewer's score
sheet, a stage's summary table and the decision letters. Each is read back: the Japanese
font must be embedded (extracted text alone proves nothing, STACK.md), the text must be
there, and each view answers only the people it is for."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from kyodo.dates import fiscal_year_label, wareki
from kyodo.models import DocumentStatus
from kyodo.pdf import render_pdf
from kyodo.selectors import center_profile
from proposals import letters, pdfs, reviews, services, summaries
from proposals.enums import Outcome, ReviewStatus, StageStatus
from proposals.models import StageSummary
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    ProposalFactory,
    RoundFactory,
    StageFactory,
    UserFactory,
)
from tests.pdfcheck import embedded_fonts, pdf_text
from tests.proposals.conftest import assign, manager_of, score_all, submitted_proposal

pytestmark = pytest.mark.django_db


# --- helpers ------------------------------------------------------------------------------------


def assert_japanese_font_embedded(content: bytes) -> None:
    fonts = embedded_fonts(content)
    assert fonts, "the PDF has no font at all"
    assert all(font["embedded"] for font in fonts), fonts
    # No fallback font (e.g. DejaVu, which has no kanji) slipped in for some glyph.
    assert all(any("IPAex" in family for family in font["families"]) for font in fonts), fonts


def compact(text: str) -> str:
    return "".join(str(text).split())


def get_pdf(client, url, user=None):
    """The PDF the user gets (in English: the proposals tests' client asks for it)."""
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    return response


def submitted_url(proposal):
    return reverse("proposals:submitted_pdf", args=[proposal.pk])


def packet_url(stage, proposal):
    return reverse("proposals_review:packet_pdf", args=[stage.pk, proposal.pk])


def sheet_url(stage, proposal):
    return reverse("proposals_review:score_sheet_pdf", args=[stage.pk, proposal.pk])


def summary_url(stage):
    return reverse("proposals_review:summary", args=[stage.pk])


def get_summary(client, stage, user, django_capture_on_commit_callbacks):
    """The summary as ``user`` gets it: asked for on its page, rendered by the task after the
    commit, downloaded from the document it made."""
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(summary_url(stage)).status_code == 302
    summary = StageSummary.objects.filter(stage=stage, requested_by=user).first()
    assert summary.document.status == "ready"
    response = client.get(reverse("document_download", args=[summary.document.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    return response, content


@pytest.fixture
def cast(in_review):
    """Everybody of the permission matrices, around proposal ``a`` of the stage."""
    stage, a = in_review["stage"], in_review["proposals"][0]
    conflicted = CouncilMemberFactory()
    assign(stage, conflicted)
    reviews.conflict_declare(proposal=a, stage=stage, reviewer=conflicted, has_conflict=True)
    return {
        **in_review,
        "a": a,
        "anonymous": None,
        "stranger": UserFactory(),
        "owner": manager_of(a.organization),
        "member": MembershipFactory(organization=a.organization, role="member").user,
        "outsider member": MembershipFactory(
            organization=in_review["outsider_org"], role="owner"
        ).user,
        "unassigned reviewer": CouncilMemberFactory(),
        "assigned reviewer": in_review["council"],
        "conflicted reviewer": conflicted,
    }


def status_for(client, cast, who, url):
    if cast[who] is not None:
        client.force_login(cast[who])
    return client.get(url).status_code


# --- the proposal as submitted ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("stranger", 404),
        ("owner", 200),
        ("member", 200),
        ("outsider member", 404),
        ("unassigned reviewer", 404),
        ("assigned reviewer", 404),
        ("conflicted reviewer", 404),
        ("chair", 404),
        ("staff", 200),
    ],
)
def test_submitted_pdf_is_for_the_organizations_members_and_staff(client, cast, who, expected):
    assert status_for(client, cast, who, submitted_url(cast["a"])) == expected


def test_submitted_pdf_sends_the_anonymous_to_log_in(client, cast):
    response = client.get(submitted_url(cast["a"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_submitted_pdf_of_a_proposal_never_submitted_is_404(client, call):
    draft = ProposalFactory(round=call)
    client.force_login(manager_of(draft.organization))
    assert client.get(submitted_url(draft)).status_code == 404


def test_submitted_pdf_shows_the_frozen_version_in_japanese_type(client, call):
    proposal = ProposalFactory(round=call, title="月島子ども食堂ネットワーク")
    owner = manager_of(proposal.organization)
    services.attachment_add(
        proposal=proposal,
        by=owner,
        title="団体の事業報告書",
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf"),
    )
    proposal = services.proposal_submit(proposal=proposal, by=owner)

    response = get_pdf(client, submitted_url(proposal), owner)

    assert_japanese_font_embedded(response.content)
    text = pdf_text(response.content)
    assert "月島子ども食堂ネットワーク" in text
    assert proposal.reference in text
    assert compact(proposal.organization.name) in text
    assert "地域の子どもの孤食が増えている。" in text  # the issue, from the 事業構築シート
    assert "120,000" in text and "150,000" in text  # the budget of both years
    assert "団体の事業報告書" in text  # the files are listed …
    assert b"/URI" not in response.content  # … without links
    assert f"proposal-{proposal.reference}-v1.pdf" in response["Content-Disposition"]


def test_submitted_pdf_keeps_the_submitted_text_until_the_next_submission(client, call, staff):
    proposal = submitted_proposal(call, title="最初の事業名")
    owner = manager_of(proposal.organization)
    services.proposal_return(
        proposal=proposal,
        by=staff,
        reason="予算を見直してください。",
        resubmit_by=timezone.localdate() + dt.timedelta(days=7),
    )
    services.proposal_update(proposal=proposal, by=owner, data={"title": "書き直した事業名"})

    before = pdf_text(get_pdf(client, submitted_url(proposal), owner).content)
    assert "最初の事業名" in before and "書き直した事業名" not in before

    services.proposal_submit(proposal=proposal, by=owner)
    response = get_pdf(client, submitted_url(proposal))
    after = pdf_text(response.content)
    assert "書き直した事業名" in after and "最初の事業名" not in after
    assert "-v2.pdf" in response["Content-Disposition"]


# --- the review packet --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("stranger", 404),
        ("owner", 404),
        ("member", 404),
        ("outsider member", 404),
        ("unassigned reviewer", 404),
        ("assigned reviewer", 200),
        ("conflicted reviewer", 200),  # reads it (as on the score page), does not score
        ("chair", 200),
        ("staff", 200),
    ],
)
def test_packet_is_for_assigned_reviewers_the_chair_and_staff(client, cast, who, expected):
    assert status_for(client, cast, who, packet_url(cast["stage"], cast["a"])) == expected


def test_packet_is_refused_to_a_reviewer_assigned_to_other_proposals(client, in_review):
    stage, (a, b, _c) = in_review["stage"], in_review["proposals"]
    reviewer = CouncilMemberFactory()
    assign(stage, reviewer, proposals=[b])
    client.force_login(reviewer)
    assert client.get(packet_url(stage, a)).status_code == 404
    assert client.get(packet_url(stage, b)).status_code == 200


def test_packet_is_readable_despite_a_conflict_but_the_sheet_is_not(client, in_review):
    stage, a, chair = in_review["stage"], in_review["proposals"][0], in_review["chair"]
    member = CouncilMemberFactory()
    MembershipFactory(organization=a.organization, user=member)
    assign(stage, member)
    reviews.conflict_declare(proposal=a, stage=stage, reviewer=chair, has_conflict=True)
    for reviewer in (member, chair):
        client.force_login(reviewer)
        assert client.get(packet_url(stage, a)).status_code == 200
        assert client.get(sheet_url(stage, a)).status_code == 404


def test_packet_of_a_stage_not_yet_opened_is_for_staff_only(client, in_review):
    stage, a = in_review["stage"], in_review["proposals"][0]
    stage.status = StageStatus.PREPARING
    stage.save(update_fields=["status"])
    client.force_login(in_review["council"])
    assert client.get(packet_url(stage, a)).status_code == 404
    client.force_login(in_review["staff"])
    assert client.get(packet_url(stage, a)).status_code == 200


def test_packet_of_a_proposal_outside_the_stage_is_404_even_for_staff(client, in_review):
    draft = ProposalFactory(round=in_review["round"])
    client.force_login(in_review["staff"])
    assert client.get(packet_url(in_review["stage"], draft)).status_code == 404


def test_packet_holds_the_proposal_the_department_opinion_and_the_criteria(
    client, in_review, ward_official
):
    stage, a, staff = in_review["stage"], in_review["proposals"][0], in_review["staff"]
    services.department_assign(
        proposal=a, by=staff, department="子ども家庭支援課", official=ward_official
    )
    url = packet_url(stage, a)

    before = pdf_text(get_pdf(client, url, in_review["council"]).content)
    assert compact("The department has not given its opinion yet.") in before

    services.opinion_save(
        proposal=a,
        by=ward_official,
        feasibility="with_changes",
        text="会場の確保は区で対応できる。",
        submit=True,
    )
    response = get_pdf(client, url)
    assert_japanese_font_embedded(response.content)
    text = pdf_text(response.content)
    assert a.title in text and a.reference in text
    assert compact(stage.name) in text
    assert "子ども家庭支援課" in text
    assert "会場の確保は区で対応できる。" in text
    assert "Feasiblewithchanges" in text
    for name in ("Publicbenefit", "Synergy", "Continuity"):  # the criteria, in English
        assert name in text
    assert "地域の子どもの孤食が増えている。" in text


def test_packet_leaves_out_an_opinion_still_being_written(client, in_review, ward_official):
    stage, a, staff = in_review["stage"], in_review["proposals"][0], in_review["staff"]
    services.department_assign(proposal=a, by=staff, department="環境課", official=ward_official)
    services.opinion_save(
        proposal=a, by=ward_official, feasibility="difficult", text="下書きの意見", submit=False
    )
    text = pdf_text(get_pdf(client, packet_url(stage, a), staff).content)
    assert "下書きの意見" not in text


# --- the score sheet ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("stranger", 404),
        ("owner", 404),
        ("member", 404),
        ("outsider member", 404),
        ("unassigned reviewer", 404),
        ("assigned reviewer", 200),
        ("conflicted reviewer", 404),
        ("chair", 200),  # the fixture's chair is also assigned to score
        ("staff", 404),  # a sheet is the reviewer's own: staff have none
    ],
)
def test_score_sheet_is_the_assigned_reviewers_own(client, cast, who, expected):
    assert status_for(client, cast, who, sheet_url(cast["stage"], cast["a"])) == expected


def test_score_sheet_is_refused_to_a_reviewer_who_belongs_to_the_proposer(client, in_review):
    stage, a = in_review["stage"], in_review["proposals"][0]
    reviewer = CouncilMemberFactory()
    MembershipFactory(organization=a.organization, user=reviewer)
    assign(stage, reviewer)
    client.force_login(reviewer)
    assert client.get(sheet_url(stage, a)).status_code == 404


def test_a_blank_score_sheet_is_a_form_to_fill_on_paper(client, in_review):
    stage, a = in_review["stage"], in_review["proposals"][0]
    response = get_pdf(client, sheet_url(stage, a), in_review["council"])
    assert_japanese_font_embedded(response.content)
    text = pdf_text(response.content)
    assert "Notstarted:fillinonpaper" in text
    assert "Publicbenefit" in text and "Continuity" in text  # criteria in English
    assert text.count("012345") == 10  # the points to circle for each criterion
    assert compact(in_review["council"].get_full_name()) in text


def test_a_draft_score_sheet_shows_the_points_and_comments_given_so_far(client, in_review):
    stage, a, council = in_review["stage"], in_review["proposals"][0], in_review["council"]
    criteria = list(stage.round.criteria.order_by("order"))
    reviews.conflict_declare(proposal=a, stage=stage, reviewer=council, has_conflict=False)
    reviews.review_save(
        stage=stage,
        proposal=a,
        reviewer=council,
        points={criteria[0].pk: 4, criteria[1].pk: 2},
        comments={criteria[0].pk: "地域の需要が明確。"},
        overall_comment="予算の根拠をもう少し知りたい。",
    )
    text = pdf_text(get_pdf(client, sheet_url(stage, a), council).content)
    assert "地域の需要が明確。" in text
    assert "予算の根拠をもう少し知りたい。" in text
    assert "Draft" in text
    assert "Total(of100):notcomplete" in text
    assert text.count("012345") == 8  # the criteria still unscored


def test_a_submitted_score_sheet_shows_the_total_out_of_100(client, in_review):
    stage, a, council = in_review["stage"], in_review["proposals"][0], in_review["council"]
    review = score_all(stage, a, council, [4, 4, 4, 4, 4, 4, 4, 4, 4, 3])
    assert review.status == ReviewStatus.SUBMITTED
    official = in_review["official"]  # another reviewer's sheet stays out of this one
    reviews.conflict_declare(proposal=a, stage=stage, reviewer=official, has_conflict=False)
    reviews.review_save(
        stage=stage,
        proposal=a,
        reviewer=official,
        points={c.pk: 1 for c in stage.round.criteria.all()},
        overall_comment="他の委員の所見",
    )

    response = get_pdf(client, sheet_url(stage, a), council)
    text = pdf_text(response.content)
    assert "他の委員の所見" not in text and "20.0" not in text
    assert "Total(of100):78.0" in text  # (9×4 + 3) / 50 × 100
    assert "Submitted" in text
    assert wareki(timezone.localdate()) in text
    assert "012345" not in text
    assert f"score-sheet-{a.reference}-stage1.pdf" in response["Content-Disposition"]


# --- the summary table --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("stranger", 404),
        ("owner", 404),
        ("member", 404),
        ("outsider member", 404),
        ("unassigned reviewer", 404),
        ("assigned reviewer", 404),
        ("conflicted reviewer", 404),
        ("chair", 200),
        ("staff", 200),
    ],
)
def test_summary_is_for_the_chair_and_staff(client, cast, who, expected):
    assert status_for(client, cast, who, summary_url(cast["stage"])) == expected


@pytest.fixture
def scored(in_review):
    stage, (a, b, _c) = in_review["stage"], in_review["proposals"]
    score_all(stage, a, in_review["council"], 5)  # 100
    score_all(stage, a, in_review["official"], 3)  # 60
    score_all(stage, b, in_review["council"], 2)  # 40
    return in_review


def test_summary_ranks_the_proposals_for_staff(client, scored, django_capture_on_commit_callbacks):
    stage, (a, b, c) = scored["stage"], scored["proposals"]
    response, content = get_summary(
        client, stage, scored["staff"], django_capture_on_commit_callbacks
    )
    assert_japanese_font_embedded(content)
    text = pdf_text(content)
    assert compact(scored["round"].title) in text
    row_a = text[text.index(a.reference) - 1 : text.index(b.reference)]
    assert row_a.startswith("1" + a.reference)
    assert compact(a.organization.name) in row_a
    assert "80.0" in row_a and "60.0" in row_a and "100.0" in row_a
    assert "atorabove" in row_a
    row_b = text[text.index(b.reference) - 1 : text.index(c.reference)]
    assert row_b.startswith("2" + b.reference)
    assert "40.0" in row_b and "below" in row_b
    assert (
        f"review-summary-{stage.round.fiscal_year}-stage1.pdf" in (response["Content-Disposition"])
    )


def test_summary_hides_the_numbers_the_chair_may_not_see_yet(
    client, scored, django_capture_on_commit_callbacks
):
    stage, a, chair = scored["stage"], scored["proposals"][0], scored["chair"]

    def summary_text():
        return pdf_text(get_summary(client, stage, chair, django_capture_on_commit_callbacks)[1])

    text = summary_text()
    assert a.title in text  # the line is there …
    assert "80.0" not in text  # … without numbers, and says why: nothing declared yet
    assert compact("Declare first whether you have a conflict of interest") in text
    assert "arenotshowntoyou" in text

    reviews.conflict_declare(proposal=a, stage=stage, reviewer=chair, has_conflict=False)
    text = summary_text()
    assert "80.0" not in text  # the chair's own review is pending
    assert compact("Submit your own review of it first.") in text

    score_all(stage, a, chair, 4, declare=False)
    text = summary_text()  # made again: the scores as they are now
    assert "80.0" in text  # (100 + 60 + 80) / 3


def test_summary_is_made_in_the_background_and_the_page_shows_its_progress(
    client, scored, django_capture_on_commit_callbacks
):
    stage, staff = scored["stage"], scored["staff"]
    client.force_login(staff)
    page = client.get(summary_url(stage)).content.decode()
    assert "Make the summary (PDF)" in page and "Download the summary" not in page

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(summary_url(stage))
    # The request only asked: nothing is rendered until the task runs after the commit.
    assert response.status_code == 302
    summary = StageSummary.objects.get(stage=stage, requested_by=staff)
    assert summary.document.status == "pending" and not summary.document.file
    assert len(queued) == 1
    page = client.get(summary_url(stage)).content.decode()
    assert "being made" in page and 'data-hx-trigger="every 2s"' in page
    # Asking again while it is being made makes no second one.
    with django_capture_on_commit_callbacks(execute=False):
        client.post(summary_url(stage))
    assert StageSummary.objects.filter(stage=stage).count() == 1

    for callback in queued:
        callback()
    summary.document.refresh_from_db()
    assert summary.document.status == "ready"
    status = client.get(summary_url(stage), headers={"HX-Request": "true"}).content.decode()
    assert reverse("document_download", args=[summary.document.pk]) in status
    assert "every 2s" not in status
    # The old address leads to the page.
    assert client.get(reverse("proposals_review:summary_pdf", args=[stage.pk])).url == (
        summary_url(stage)
    )


def test_summary_is_built_with_the_same_queries_for_one_and_for_many_proposals(
    client, staff, django_assert_num_queries, django_capture_on_commit_callbacks
):
    round_ = RoundFactory()
    stage = StageFactory(round=round_, number=1)
    reviewer = CouncilMemberFactory()
    assign(stage, reviewer)
    score_all(stage, submitted_proposal(round_), reviewer, 3)
    with django_capture_on_commit_callbacks(execute=False):
        document = summaries.summary_request(stage=stage, by=staff).document
    with CaptureQueriesContext(connection) as one:
        summaries.summary_document_context(document)
    for _ in range(3):
        score_all(stage, submitted_proposal(round_), reviewer, 4)
    with django_assert_num_queries(len(one)):
        context = summaries.summary_document_context(document)
    assert len(context["rows"]) == 4
    document.delete()  # never rendered (its task was not run): ask again below
    text = pdf_text(get_summary(client, stage, staff, django_capture_on_commit_callbacks)[1])
    assert text.count(f"{round_.fiscal_year}-00") == 4


# --- the decision letters -----------------------------------------------------------------------


@pytest.fixture
def released(in_review, run_on_commit):
    """One decision of each outcome, released (the letters are rendered by the task); the
    two adopted ones went through the presentation stage."""
    staff = in_review["staff"]
    a, b, c = in_review["proposals"]
    presentations = StageFactory(round=in_review["round"], number=2)
    for proposal in (a, b):
        services.proposal_shortlist(proposal=proposal, stage=presentations, by=staff)
    services.department_assign(
        proposal=a, by=staff, department="子ども家庭支援課", official=in_review["official"]
    )
    services.decision_prepare(
        proposal=a, by=staff, outcome=Outcome.ADOPTED, council_comment="地域への波及が期待できる。"
    )
    services.decision_prepare(
        proposal=b,
        by=staff,
        outcome=Outcome.ADOPTED_WITH_CONDITIONS,
        council_comment="方向性は評価できる。",
        conditions="事業費の積算を所管課と見直すこと。",
    )
    services.decision_prepare(
        proposal=c,
        by=staff,
        outcome=Outcome.NOT_ADOPTED,
        council_comment="区との役割分担が不明確である。",
    )
    with run_on_commit():
        decisions = services.decisions_release(round_=in_review["round"], by=staff)
    return {d.outcome: d for d in decisions}


def letter_text(decision) -> tuple[bytes, str]:
    document = decision.letter
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    with document.file.open("rb") as handle:
        content = handle.read()
    return content, pdf_text(content)


def test_the_adoption_letter_names_the_outcome_and_the_next_steps(released):
    decision = released[Outcome.ADOPTED]
    proposal, organization = decision.proposal, decision.proposal.organization
    content, text = letter_text(decision)
    assert_japanese_font_embedded(content)
    assert "協働事業提案の審査結果について（通知）" in text
    assert f"協働提案第{proposal.reference}号" in text
    assert wareki(timezone.localdate()) in text  # issued on the release day, in 和暦
    assert f"{compact(organization.name)}代表者{compact(organization.representative_name)}様" in (
        text
    )
    assert compact(center_profile().name) in text
    assert center_profile().ward_office in text
    assert compact(proposal.round.title) in text
    with translation.override("ja"):  # the letter is in Japanese whoever reads the test
        year_label = fiscal_year_label(proposal.round.fiscal_year)
    assert f"{year_label}実施事業" in text
    assert compact(proposal.title) in text
    assert "審査結果採択" in text
    assert "地域への波及が期待できる。" in text
    assert "所管課（子ども家庭支援課）との協議" in text
    assert "予算化" in text and "協定締結" in text
    assert "採択の条件" not in text


def test_the_conditional_adoption_letter_states_the_conditions(released):
    _content, text = letter_text(released[Outcome.ADOPTED_WITH_CONDITIONS])
    assert "審査結果条件付き採択" in text
    assert "採択の条件事業費の積算を所管課と見直すこと。" in text
    assert "方向性は評価できる。" in text
    assert "予算化" in text and "協定締結" in text


def test_the_rejection_letter_gives_the_comment_and_no_next_steps(released):
    content, text = letter_text(released[Outcome.NOT_ADOPTED])
    assert_japanese_font_embedded(content)
    assert "審査結果不採択" in text
    assert "区との役割分担が不明確である。" in text
    assert "予算化" not in text and "協定締結" not in text and "採択の条件" not in text
    assert "以上" in text


def test_the_letter_renders_from_its_context_in_any_language(released):
    """The letter's wording is fixed Japanese even when rendered with English active."""
    decision = released[Outcome.ADOPTED]
    context = letters.decision_letter_context(decision.letter)
    text = pdf_text(render_pdf("pdf/proposal_decision_letter.html", context, language="en"))
    assert "協働事業提案の審査結果について（通知）" in text
    assert "審査結果採択" in text


def test_the_letter_dates_the_submission_in_wareki(released):
    decision = released[Outcome.NOT_ADOPTED]
    submitted_at = decision.proposal.submitted_version.submitted_at
    _content, text = letter_text(decision)
    assert f"{wareki(submitted_at)}付けでご提出いただいた" in text


# --- the contexts, without HTTP -----------------------------------------------------------------


def test_summary_rows_carry_no_numbers_for_a_hidden_line(scored):
    rows = pdfs.summary_rows(scored["stage"], scored["chair"])
    assert rows and all(row["hidden"] for row in rows)
    assert all("mean" not in row for row in rows)
    assert {row["hidden_reason"] for row in rows} == {
        "Declare first whether you have a conflict of interest with this proposal."
    }
    rows = pdfs.summary_rows(scored["stage"], scored["staff"])
    assert [str(row.get("mean")) for row in rows] == ["80.0", "40.0", "None"]
    assert [row["hidden_reason"] for row in rows] == ["", "", ""]


def test_summary_counts_the_reviews_reopened_by_their_reviewer(
    client, scored, django_capture_on_commit_callbacks
):
    stage, a, council = scored["stage"], scored["proposals"][0], scored["council"]
    review = reviews.review_reopen(
        review=council.proposal_reviews.get(proposal=a, stage=stage), by=council
    )
    reviews.review_submit(review=review, by=council)
    rows = pdfs.summary_rows(stage, scored["staff"])
    assert [row["reopened"] for row in rows] == [1, 0, 0]
    content = get_summary(client, stage, scored["staff"], django_capture_on_commit_callbacks)[1]
    text = pdf_text(content)
    assert "Re-opened" in text
    assert compact("how often a reviewer re-opened their submitted review") in text
