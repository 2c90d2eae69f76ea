from django.utils.functional import SimpleLazyObject

from kyodo import navigation
from kyodo.footer import footer_templates


def site(request):
    from kyodo.selectors import center_profile

    # Lazy: pages that do not show the center's details do not query for them.
    return {
        "center": SimpleLazyObject(center_profile),
        "nav_items": navigation.items(),
        "footer_templates": footer_templates(),
    }
