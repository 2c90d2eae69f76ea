"""Public pages of the subsidy: each 年度's programme with its guide, figures, cost
categories, schedule, criteria and forms — published before applications open."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kyodo.downloads import file_download
from organizations.selectors import valid_organizations_managed_by
from subsidies import selectors
from subsidies.models import ProgrammeForm

PAGE_SIZE = 20


def index(request):
    today = timezone.localdate()
    programmes = selectors.published_programmes().order_by("-fiscal_year")
    page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "programme": p,
            "open": p.applications_open_on <= today <= p.application_deadline,
            "upcoming": today < p.applications_open_on,
        }
        for p in page.object_list
    ]
    return render(
        request,
        "subsidies/public_index.html",
        {
            "page_obj": page,
            "rows": rows,
            "can_apply": any(row["open"] for row in rows)
            and valid_organizations_managed_by(request.user).exists(),
        },
    )


def programme_detail(request, pk):
    programme = selectors.published_programme(pk)
    today = timezone.localdate()
    is_open = programme.applications_open_on <= today <= programme.application_deadline
    first, last = programme.project_period
    return render(
        request,
        "subsidies/public_programme.html",
        {
            "programme": programme,
            "categories": list(programme.categories.all()),
            "forms": list(programme.forms.all()),
            "is_open": is_open,
            "not_yet_open": today < programme.applications_open_on,
            "period_first": first,
            "period_last": last,
            "can_apply": is_open and valid_organizations_managed_by(request.user).exists(),
        },
    )


def programme_guide(request, pk):
    """The programme's guide file, for published programmes only."""
    return file_download(selectors.published_programme(pk).guide_file)


def programme_form(request, pk, form_pk):
    """A form (様式) of a published programme."""
    programme = selectors.published_programme(pk)
    return file_download(get_object_or_404(ProgrammeForm, programme=programme, pk=form_pk).file)
