"""Scoring a proposal in the browser (issue 5): a ward official logs in with two-factor
authentication, declares no conflict of interest, scores a proposal while the running total
follows, submits, and the chair's dashboard shows the new total.

Two people, two browser contexts: the ward official and the chair. Pages are located by URLs
and form-field names, not by translated text; each step checks what it left in the database.
"""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import Page, expect

from proposals import services
from proposals.models import ConflictDeclaration, Review
from tests.e2e.journeys import REDUCED_MOTION, log_in
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    ProposalFactory,
    RoundFactory,
    StageFactory,
    WardOfficialFactory,
)
from tests.proposals.conftest import assign, score_all

# The official's points for the 10 criteria: 42 of 50 → 84.0 of 100.
POINTS = [5, 4, 4, 5, 3, 4, 5, 4, 4, 4]


def _current_code(secret: str) -> str:
    # A code is good for its 30-second period only (no tolerance is configured): never hand
    # one over in the last seconds of its period.
    into_period = time.time() % mfa_settings.TOTP_PERIOD
    if into_period > mfa_settings.TOTP_PERIOD - 5:
        time.sleep(mfa_settings.TOTP_PERIOD - into_period + 0.5)
    counters = list(yield_hotp_counters_from_time())  # now, and the tolerance either side
    counter = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, counter))


def _second_factor(page: Page, base: str, secret: str) -> None:
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("main input[name=code]").fill(_current_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(base + "/mypage/")


@pytest.mark.browser_context_args(**REDUCED_MOTION)
def test_ward_official_scores_with_2fa_and_the_chair_sees_the_total(
    page: Page, new_page, live_server, migrated_rows, settings
):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    base = live_server.url
    call = RoundFactory()
    proposal = ProposalFactory(round=call, organization__fields=[])
    owner = MembershipFactory(organization=proposal.organization, role="owner").user
    proposal = services.proposal_submit(proposal=proposal, by=owner)
    stage = StageFactory(round=call, number=1)
    official = WardOfficialFactory()
    secret = generate_totp_secret()
    TOTP.activate(official, secret)
    other = CouncilMemberFactory()
    chair = CouncilMemberFactory()
    chair_secret = generate_totp_secret()
    TOTP.activate(chair, chair_secret)
    call.chair = chair
    call.save(update_fields=["chair"])
    assign(stage, official)
    assign(stage, other)
    score_all(stage, proposal, other, 3)  # another member has scored: 30 of 50 → 60.0
    criteria = list(call.criteria.order_by("order"))

    # --- 1. The chair's dashboard before: one review, a mean of 60.0, one missing -----------
    chair_page = new_page("chair")
    log_in(chair_page, base, chair.email, lands_on="")
    _second_factor(chair_page, base, chair_secret)  # the chair sees every score: 2FA too
    dashboard = f"/review/proposals/stages/{stage.pk}/dashboard/"
    chair_page.goto(base + dashboard)
    row = chair_page.locator("main tbody tr:not([data-adoption-line])", has_text=proposal.title)
    expect(row).not_to_contain_text("60.0")  # hidden until the chair declares no conflict
    with chair_page.expect_navigation():
        row.locator("form[data-chair-declare] button[name=conflict][value=no]").click()
    assert ConflictDeclaration.objects.get(proposal=proposal, reviewer=chair).has_conflict is False
    row = chair_page.locator("main tbody tr:not([data-adoption-line])", has_text=proposal.title)
    expect(row).to_contain_text("60.0")

    # --- 2. The ward official logs in with the second factor --------------------------------
    log_in(page, base, official.email, lands_on="")
    _second_factor(page, base, secret)
    page.goto(base + "/review/proposals/")
    expect(page.locator("main")).to_contain_text(stage.name)  # /review/ is open to them now
    page.locator(f"main a[href='/review/proposals/stages/{stage.pk}/']").first.click()
    page.wait_for_url(base + f"/review/proposals/stages/{stage.pk}/")
    score_path = f"/review/proposals/stages/{stage.pk}/p/{proposal.pk}/"
    page.locator(f"main a[href='{score_path}']").first.click()
    page.wait_for_url(base + score_path)
    expect(page.locator("main")).to_contain_text(proposal.title)  # the frozen proposal

    # --- 3. Declares no conflict of interest ------------------------------------------------
    declaration = page.locator(f"main form[action='{score_path}declare/']")
    declaration.locator("input[name=conflict][value=no]").check()
    with page.expect_navigation():
        declaration.locator("button[type=submit]").click()
    assert (
        ConflictDeclaration.objects.get(proposal=proposal, reviewer=official).has_conflict is False
    )

    # --- 4. Scores: the running total follows every click -----------------------------------
    sheet = page.locator(f"main form[action='{score_path}']")
    expect(sheet).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("60.0")  # others hidden until submitted
    total = page.locator("#running-total")
    # Comments first: leaving a text box fires the htmx total too, and the live server's
    # in-memory SQLite connection is shared by its threads — no request may still be running
    # when the form is submitted. The last click's total (84.0) is the last request.
    sheet.locator(f"textarea[name=comment_{criteria[0].pk}]").fill("地域の課題に合っている")
    sheet.locator("textarea[name=overall_comment]").fill("実現性が高く、協働の効果が期待できる。")
    for criterion, points in zip(criteria, POINTS, strict=True):
        sheet.locator(f"label[for='id_points_{criterion.pk}_{points}']").click()
    expect(total).to_contain_text("84.0")
    page.wait_for_load_state("networkidle")

    # --- 5. Submits ---------------------------------------------------------------------------
    with page.expect_navigation():
        sheet.locator(f"button[formaction='{score_path}submit/']").click()
    review = Review.objects.get(stage=stage, proposal=proposal, reviewer=official)
    assert review.status == "submitted" and review.submitted_at is not None
    assert sorted(review.scores.values_list("points", flat=True)) == sorted(POINTS)
    expect(page.locator(f"main form[action='{score_path}reopen/']")).to_be_visible()
    expect(page.locator("main")).to_contain_text("60.0")  # others' scores, once submitted

    # --- 6. The chair's dashboard shows the new total ---------------------------------------
    chair_page.reload()
    row = chair_page.locator("main tbody tr:not([data-adoption-line])", has_text=proposal.title)
    expect(row).to_contain_text("72.0")  # the mean of 60.0 and 84.0
    expect(row).to_contain_text("84.0")  # the highest
