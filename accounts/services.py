from django.db import transaction

from accounts.models import User

PROFILE_FIELDS = (
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "phone",
    "language",
)


@transaction.atomic
def user_update_profile(*, user: User, data: dict) -> User:
    """Save the user's own profile fields. Side effects: a history row (simple_history)."""
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    user.full_clean(exclude=["password"])
    user.save(update_fields=[f for f in PROFILE_FIELDS if f in data])
    return user
