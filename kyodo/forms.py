"""Behaviour shared by the project's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ChooseFilesAgainMixin:
    """A browser never sends a chosen file again: when a form comes back with errors, every
    file that was chosen in it is lost. Each such file field says so, next to the field and
    in the error summary, naming the file to choose again."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        for name, field in self.fields.items():
            if not isinstance(field, forms.FileField) or name in self._errors:
                continue
            upload = self.files.get(self.add_prefix(name))
            if upload:
                self.add_error(
                    name,
                    _(
                        "Choose “%(file)s” again: a file is not kept while the form has "
                        "something to correct."
                    )
                    % {"file": upload.name},
                )
