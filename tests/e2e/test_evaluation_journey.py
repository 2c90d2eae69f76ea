"""Evaluating a collaboration project in the browser (issue 13): the group enters its results
and its self-evaluation, the department's official evaluates, a council member evaluates,
staff record the verdict and publish the year, and the public page shows the project.

One browser context per person. Pages are located by URLs and form-field names, not by
translated text; each step checks what it left in the database."""

import pytest
from playwright.sync_api import Page, expect

from evaluations.enums import Side, Status
from evaluations.models import EvaluationReport, Sheet
from tests.e2e.journeys import REDUCED_MOTION, log_in


def _score_sheet(page: Page, base: str, evaluation, items, points: int) -> None:
    page.goto(base + f"/evaluations/{evaluation.pk}/")
    page.locator(f"main a[href='/evaluations/{evaluation.pk}/sheet/']").click()
    page.wait_for_url(base + f"/evaluations/{evaluation.pk}/sheet/")
    for item in items:
        page.locator(f"main input[name=points_{item.pk}][value='{points}']").check()
    page.locator("main textarea[name=went_well]").fill("地域の担い手が育った。")
    with page.expect_navigation():
        page.locator("main button[name=submit]").click()
    page.wait_for_url(base + f"/evaluations/{evaluation.pk}/")


@pytest.mark.browser_context_args(**REDUCED_MOTION)
def test_three_sides_evaluate_staff_publish_and_the_public_reads_it(
    page: Page, new_page, live_server, migrated_rows
):
    from tests.evaluations.conftest import World

    base = live_server.url
    world = World()
    world.open()
    evaluation, items = world.evaluation, world.items
    title = world.project_year.project.proposal.title

    # --- 1. The group enters its results and evaluates itself -------------------------------
    log_in(page, base, world.manager.email)
    page.goto(base + f"/evaluations/{evaluation.pk}/")
    page.locator(f"main a[href='/evaluations/{evaluation.pk}/results/']").click()
    page.wait_for_url(base + f"/evaluations/{evaluation.pk}/results/")
    targets = list(evaluation.targets.targets.all())
    for target in targets:
        page.locator(f"main input[name=value_{target.pk}]").fill("12")
    with page.expect_navigation():
        page.locator(
            f"main form[action='/evaluations/{evaluation.pk}/results/'] button[type=submit]"
        ).click()
    assert {t.result_value for t in evaluation.targets.targets.all()} == {12}
    _score_sheet(page, base, evaluation, items, 4)
    evaluation.refresh_from_db()
    assert evaluation.status == Status.DEPARTMENT
    assert Sheet.objects.get(evaluation=evaluation, side=Side.SELF).status == "submitted"

    # --- 2. The department's official ---------------------------------------------------------
    ward = new_page("ward")
    log_in(ward, base, world.ward.email)
    _score_sheet(ward, base, evaluation, items, 3)
    evaluation.refresh_from_db()
    assert evaluation.status == Status.COUNCIL

    # --- 3. A council member --------------------------------------------------------------------
    member = new_page("council")
    log_in(member, base, world.members[0].email)
    _score_sheet(member, base, evaluation, items, 5)
    assert Sheet.objects.filter(evaluation=evaluation, side=Side.COUNCIL).count() == 1

    # --- 4. Staff record the verdict and publish the year --------------------------------------
    staff = new_page("staff")
    log_in(staff, base, world.staff.email)
    staff.goto(base + f"/staff/evaluations/{evaluation.pk}/")
    verdict = staff.locator(f"main form[action='/staff/evaluations/{evaluation.pk}/verdict/']")
    verdict.locator("input[name=verdict-verdict][value=continue_changes]").check()
    verdict.locator("textarea[name=verdict-text]").fill("一部修正を要するが継続すべきである。")
    verdict.locator("input[name=verdict-on]").fill("2027-02-20")
    with staff.expect_navigation():
        verdict.locator("button[type=submit]").click()
    evaluation.refresh_from_db()
    assert evaluation.status == Status.DECIDED
    world.project_year.refresh_from_db()
    assert world.project_year.verdict == "continue_changes"
    fiscal_year = world.project_year.fiscal_year
    staff.goto(base + "/staff/evaluations/")
    with staff.expect_navigation():
        staff.locator(
            f"main form[action='/staff/evaluations/years/{fiscal_year}/publish/'] button"
        ).click()
    report = EvaluationReport.objects.get(fiscal_year=fiscal_year)
    assert report.published_at is not None

    # --- 5. The public page shows the project --------------------------------------------------
    public = new_page("public")
    public.goto(base + "/evaluations/")
    public.locator(f"main a[href='/evaluations/results/{report.pk}/']").click()
    public.wait_for_url(base + f"/evaluations/results/{report.pk}/")
    expect(public.locator("main")).to_contain_text(title)
    expect(public.locator("main")).to_contain_text("一部修正を要するが継続すべきである。")
