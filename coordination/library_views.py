"""The documents library's pages: the list, a document (latest version first, older ones
kept), and the download of a version. Staff publish documents and their versions in the admin."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.rules import is_center_staff
from coordination import library
from coordination.models import LibraryCategory
from kyodo import downloads

PAGE_SIZE = 30


class LibraryFilterForm(forms.Form):
    category = forms.TypedChoiceField(
        label=pgettext_lazy("library", "Category"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", gettext_lazy("All"))] + [
            (c.pk, c.display_name) for c in LibraryCategory.objects.all()
        ]


def documents(request):
    form = LibraryFilterForm(request.GET)
    form.is_valid()
    found = library.documents_visible_to(request.user)
    if form.cleaned_data.get("category"):
        found = found.filter(category_id=form.cleaned_data["category"])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coordination/library_list.html", {"form": form, "page": page})


def document(request, slug):
    found = library.document_for(request.user, slug)
    if found is None:
        raise Http404
    versions = list(found.versions.order_by("-number"))
    return render(
        request,
        "coordination/library_document.html",
        {
            "document": found,
            "latest": versions[0],
            "older": versions[1:],
            "may_edit": is_center_staff(request.user),
        },
    )


def version_download(request, pk):
    version = library.version_for(request.user, pk)
    if version is None:
        raise Http404
    return downloads.file_download(version.file, filename=version.original_name)
