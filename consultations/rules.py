"""Who may do what with consultations. Cases are for center staff; an asker sees their own
case and what staff shared; the log of readings and the retention deletion are the
センター責任者's."""

from accounts.rules import is_center_manager, is_center_staff


def can_handle_cases(user) -> bool:
    return is_center_staff(user)


def can_read_access_log(user) -> bool:
    return is_center_manager(user)


def can_anonymize(user) -> bool:
    return is_center_manager(user)


def is_asker_of(user, case) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and case.asker_id == user.pk
