"""Names staff enter in the database, in the reader's language: ONE rule for every model.

A model with a name staff type in (a room, a slot, an activity field, a criterion …) keeps the
Japanese in ``name`` and the English in ``name_en`` (blank when nobody wrote one). The English
interface shows the English name where there is one and falls back to the Japanese, which is
the name of record. Models use ``LocalizedNameMixin`` (``display_name`` and ``__str__``, so
ModelChoiceField labels, admin lists and screen-reader texts follow the language too); templates
use the ``localized`` filter for other fields (``{{ center|localized:"address" }}``).
"""

from django.utils.functional import lazy
from django.utils.translation import get_language


def english_wanted() -> bool:
    """True while the active language is English (``en``, ``en-gb`` …)."""
    return (get_language() or "").lower().startswith("en")


def localized(obj, field: str | None = None) -> str:
    """``obj.<field>_en`` in the English interface when it is not empty, else ``obj.<field>``;
    ``field`` defaults to the model's ``localized_field`` (``name``, or ``title`` …)."""
    if obj is None:
        return ""
    field = field or getattr(obj, "localized_field", "name")
    value = getattr(obj, field, "") or ""
    if english_wanted():
        english = getattr(obj, f"{field}_en", "") or ""
        if english.strip():
            return english
    return value


class LocalizedNameMixin:
    """For a model with ``name`` and ``name_en`` (or set ``localized_field``: ``title``…).
    The model's ``__str__`` returns ``display_name`` so that choice labels follow too."""

    localized_field = "name"

    @property
    def display_name(self) -> str:
        return localized(self, self.localized_field)


# For texts rendered later in another language (a mail's facts are rendered in the recipient's
# language, not the actor's): the name is picked when the text is rendered.
localized_lazy = lazy(localized, str)
