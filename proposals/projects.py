"""Writes of the adopted project: talks with the department, the budget, the agreement and
the two project years with the council's verdicts, ending in 委託化 or 終了."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from kyodo.workflow import transition
from proposals.enums import PROJECT_TRANSITIONS, ProjectStatus, YearStatus
from proposals.models import Project, ProjectEvent, ProjectNote, ProjectYear, Proposal
from proposals.services import ProposalError, _require_staff


def project_start(proposal: Proposal, *, by) -> Project:
    project, created = Project.objects.get_or_create(proposal=proposal)
    if created:
        ProjectEvent.objects.create(
            project=project, old_status="", new_status=ProjectStatus.CONSULTING, changed_by=by
        )
        ProjectYear.objects.bulk_create(
            ProjectYear(
                project=project, year=year, fiscal_year=proposal.round.fiscal_year + year - 1
            )
            for year in (1, 2)
        )
    return project


@transaction.atomic
def project_note_add(*, project: Project, by, held_on: dt.date, text: str) -> ProjectNote:
    _require_staff(by)
    text = (text or "").strip()
    if not text or held_on is None:
        raise ProposalError(_("Give the date and what was discussed."))
    return ProjectNote.objects.create(project=project, held_on=held_on, text=text, author=by)


@transaction.atomic
def project_budget_passed(*, project: Project, by, on: dt.date, amount: int | None = None):
    """予算成立. Side effects: a ProjectEvent."""
    _require_staff(by)
    if on is None:
        raise ProposalError(_("Give the date the budget passed."))
    return transition(
        instance=project,
        to=ProjectStatus.BUDGETED,
        transitions=PROJECT_TRANSITIONS,
        history_model=ProjectEvent,
        history_fk="project",
        by=by,
        extra_fields={"budget_passed_on": on, "budget_amount": amount},
    )


@transaction.atomic
def project_agreement(
    *, project: Project, by, upload, signed_on: dt.date, starts_on: dt.date, ends_on: dt.date
) -> Project:
    """The 協定書 is signed: its file and dates. Side effects: a ProjectEvent."""
    _require_staff(by)
    if not (signed_on and starts_on and ends_on) or starts_on > ends_on:
        raise ProposalError(_("Give the signing date and a period that ends after it starts."))
    project.agreement_file.save(upload.name, upload, save=False)
    return transition(
        instance=project,
        to=ProjectStatus.AGREED,
        transitions=PROJECT_TRANSITIONS,
        history_model=ProjectEvent,
        history_fk="project",
        by=by,
        extra_fields={
            "agreement_file": project.agreement_file.name,
            "agreement_signed_on": signed_on,
            "agreement_starts_on": starts_on,
            "agreement_ends_on": ends_on,
        },
    )


@transaction.atomic
def project_start_year(*, project: Project, by, year: int) -> ProjectYear:
    """A project year begins: year 1 after the agreement; year 2 after a 継続 verdict on year 1.
    Side effects: a ProjectEvent when the project starts running."""
    _require_staff(by)
    project_year = project.years.select_for_update().get(year=year)
    if project_year.status != YearStatus.PLANNED:
        raise ProposalError(_("This year has already started."))
    if year == 1:
        transition(
            instance=project,
            to=ProjectStatus.RUNNING,
            transitions=PROJECT_TRANSITIONS,
            history_model=ProjectEvent,
            history_fk="project",
            by=by,
        )
    else:
        first = project.years.get(year=1)
        if project.status != ProjectStatus.RUNNING or first.verdict not in (
            "continue",
            "continue_changes",
        ):
            raise ProposalError(_("Year 2 starts after the council's verdict to continue."))
    project_year.status = YearStatus.RUNNING
    project_year.save(update_fields=["status"])
    return project_year


# Pillars that record a year's verdict themselves (the evaluations pillar gives it from the
# council's evaluation): each is a function (project_year) -> the URL of the page where that
# year's verdict is given, or "" when it does not hold that year. Registered from the pillar's
# AppConfig.ready(); proposals never imports them.
_verdict_sources: list = []


def register_verdict_source(source) -> None:
    _verdict_sources.append(source)


def verdict_source_url(project_year: ProjectYear) -> str:
    """Where this year's verdict is given when another pillar holds it, else ""."""
    for source in _verdict_sources:
        url = source(project_year)
        if url:
            return url
    return ""


@transaction.atomic
def project_verdict(
    *,
    project: Project,
    by,
    year: int,
    verdict: str,
    text: str,
    on: dt.date,
    from_source: bool = False,
) -> ProjectYear:
    """Record the council's verdict on a project year (継続 / 一部修正のうえ継続 / 終了). An end
    verdict ends the project. Side effects: ProjectEvent when the project ends.

    A year whose verdict another pillar holds (verdict_source_url) takes it only from there
    (``from_source=True``): typed on the project page it would be a second, diverging copy."""
    _require_staff(by)
    project_year = project.years.select_for_update().get(year=year)
    if not from_source and verdict_source_url(project_year):
        raise ProposalError(_("This year's verdict is given with its evaluation; record it there."))
    if project_year.status == YearStatus.PLANNED:
        raise ProposalError(_("The year has not started yet."))
    if not verdict or on is None:
        raise ProposalError(_("Give the verdict and its date."))
    project_year.verdict, project_year.verdict_text, project_year.verdict_on = (
        verdict,
        (text or "").strip(),
        on,
    )
    project_year.status = YearStatus.DONE
    project_year.save()
    if verdict == "end" and project.status != ProjectStatus.ENDED:
        project_finish(project=project, by=by, to=ProjectStatus.ENDED, note=text)
    return project_year


@transaction.atomic
def project_finish(*, project: Project, by, to: str, note: str = "") -> Project:
    """End the project: 委託化 (commissioned by the ward) after year 2, or 終了."""
    _require_staff(by)
    if to == ProjectStatus.COMMISSIONED:
        second = project.years.filter(year=2, status=YearStatus.DONE).first()
        if second is None:
            raise ProposalError(_("A project is commissioned after its second year."))
    return transition(
        instance=project,
        to=to,
        transitions=PROJECT_TRANSITIONS,
        history_model=ProjectEvent,
        history_fk="project",
        by=by,
        reason=(note or "").strip(),
        extra_fields={"outcome_note": (note or "").strip()},
    )
