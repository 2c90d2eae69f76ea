"""Django's own strings that its Japanese catalogue does not have yet (Django 6.1).

Marked here so `makemessages` puts them in our catalogue, which LOCALE_PATHS puts first.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),  # django.db.models.fields.BLANK_CHOICE_LABEL
)
