"""Permission predicates of the 協働事業評価. Views and templates ask these.

Who is who on an evaluation: the group — members of the organization whose proposal became
the project (its 代表管理者 and 管理者 write); the 所管課 — the ward official named on the
proposal as the department's official; the council — members assigned to the evaluation,
less those with a conflict on the project under the proposals pillar's conflict rules
(``proposals.selectors.is_conflicted``: a member of the proposing organization, or a declared
conflict of interest); staff. Elevated rights wait for two-factor log-in (rights_apply)."""

from accounts.rules import is_center_staff, is_council_member, is_ward_official, rights_apply
from evaluations.enums import TURN_OF_SIDE, Side, Status, reached
from organizations.enums import MANAGING_ROLES
from organizations.rules import membership_of, role_in


def _proposal(evaluation):
    return evaluation.project_year.project.proposal


def can_manage_evaluations(user) -> bool:
    return is_center_staff(user)


def is_group_member(user, evaluation) -> bool:
    return membership_of(user, _proposal(evaluation).organization) is not None


def is_group_manager(user, evaluation) -> bool:
    """The group's 代表管理者 and 管理者 (staff are not the group: they never write its sheet)."""
    return role_in(user, _proposal(evaluation).organization) in MANAGING_ROLES


def is_department_official(user, evaluation) -> bool:
    proposal = _proposal(evaluation)
    return (
        proposal.department_official_id is not None
        and getattr(user, "pk", None) == proposal.department_official_id
        and is_ward_official(user)
    )


def is_assigned_member(user, evaluation) -> bool:
    """Assigned to evaluate it (recused or not). Reads the prefetched assignments if there."""
    if not (is_council_member(user) and rights_apply(user)):
        return False
    return any(a.member_id == user.pk for a in evaluation.assignments.all())


def is_recused(user, evaluation) -> bool:
    from proposals.selectors import is_conflicted

    return is_conflicted(user, _proposal(evaluation))


def side_of(user, evaluation) -> str | None:
    """The side the person evaluates for (None: they evaluate nothing here)."""
    if is_group_manager(user, evaluation):
        return Side.SELF
    if is_department_official(user, evaluation):
        return Side.DEPARTMENT
    if is_assigned_member(user, evaluation) and not is_recused(user, evaluation):
        return Side.COUNCIL
    return None


def can_view_evaluation(user, evaluation) -> bool:
    return (
        is_center_staff(user)
        or is_group_member(user, evaluation)
        or is_department_official(user, evaluation)
        or is_assigned_member(user, evaluation)
    )


def can_edit_targets(user, evaluation) -> bool:
    """The group writes its targets (agreed with the department) until staff confirm them."""
    return evaluation.status == Status.TARGETS and (
        is_group_manager(user, evaluation) or is_center_staff(user)
    )


def can_enter_results(user, evaluation) -> bool:
    return evaluation.status == Status.SELF and is_group_manager(user, evaluation)


def turn_is_open(evaluation, side: str) -> bool:
    return evaluation.status == TURN_OF_SIDE[side]


def can_write_sheet(user, evaluation) -> bool:
    side = side_of(user, evaluation)
    return side is not None and turn_is_open(evaluation, side)


def may_see_sheet(user, evaluation, sheet) -> bool:
    """A sheet is seen by its author and staff; by everyone concerned once the verdict is
    given; and, if the year's template says so, by each later side once its own turn has
    opened (the department sees the group's; the council the group's and the department's).
    A council member never sees another member's sheet before the verdict."""
    if is_center_staff(user) or (sheet.author_id and sheet.author_id == getattr(user, "pk", None)):
        return True
    if sheet.side == Side.SELF and is_group_member(user, evaluation):
        return True
    if sheet.side == Side.DEPARTMENT and is_department_official(user, evaluation):
        return True
    if evaluation.status == Status.DECIDED:
        return can_view_evaluation(user, evaluation) and not (
            is_assigned_member(user, evaluation) and is_recused(user, evaluation)
        )
    if not evaluation.template.show_earlier_sheets:
        return False
    if sheet.side == Side.SELF and is_department_official(user, evaluation):
        return reached(evaluation.status, Status.DEPARTMENT)
    if sheet.side in (Side.SELF, Side.DEPARTMENT) and side_of(user, evaluation) == Side.COUNCIL:
        return reached(evaluation.status, Status.COUNCIL)
    return False


def can_see_summary(user, evaluation) -> bool:
    """The summary (the three sides side by side) once the verdict is given; staff always."""
    if is_center_staff(user):
        return True
    return evaluation.status == Status.DECIDED and (
        is_group_member(user, evaluation)
        or is_department_official(user, evaluation)
        or (is_assigned_member(user, evaluation) and not is_recused(user, evaluation))
    )


def can_download_evidence(user, evaluation) -> bool:
    """The results' files: the group, the department, the assigned council members once their
    turn came, staff — never the public."""
    if is_center_staff(user) or is_group_member(user, evaluation):
        return True
    if is_department_official(user, evaluation):
        return reached(evaluation.status, Status.DEPARTMENT)
    return side_of(user, evaluation) == Side.COUNCIL and reached(evaluation.status, Status.COUNCIL)
