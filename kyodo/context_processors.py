from django.utils.functional import SimpleLazyObject

from kyodo import navigation
from kyodo.footer import footer_templates


def _is_center_staff(user) -> bool:
    from accounts.rules import is_center_staff

    return is_center_staff(user)


def site(request):
    from kyodo.selectors import center_profile

    # Lazy: pages that do not show the center's details do not query for them.
    return {
        "center": SimpleLazyObject(center_profile),
        "nav_items": navigation.items(),
        # The staff home link: asked only for people with is_staff (the header checks that first).
        "shows_staff_home": SimpleLazyObject(lambda: _is_center_staff(request.user)),
        "footer_templates": footer_templates(),
    }
