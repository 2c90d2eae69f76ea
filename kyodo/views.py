from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.views.defaults import page_not_found

from accounts.rules import is_center_staff
from kyodo import downloads, selectors, services
from kyodo.actions import visible_only_to
from kyodo.home import home_sections_for
from kyodo.models import DocumentStatus
from kyodo.staff_home import staff_home_for


def home(request):
    return render(
        request,
        "kyodo/home.html",
        {
            **selectors.home_calendar(),
            "sections": home_sections_for(request),
        },
    )


@visible_only_to(is_center_staff)
def staff_home(request):
    """What needs a person today, each pillar's lines from the staff home registry."""
    return render(
        request,
        "kyodo/staff_home.html",
        {"blocks": staff_home_for(request), "today": timezone.localdate()},
    )


def not_found(request, exception):
    """404: JSON under the public API (its clients read JSON, and its schema says so), the
    site's page everywhere else."""
    if request.path.startswith("/api/v1/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def opendata(request):
    """The オープンデータ page: every standard set the pillars publish, the API, the licence."""
    from django.conf import settings

    from kyodo.opendata import datasets

    return render(
        request,
        "kyodo/opendata.html",
        {"datasets": datasets(), "licence": settings.KYODO_OPEN_DATA_LICENCE},
    )


def guide(request):
    """The 利用案内 page: what the guide holds, and its download."""
    return render(request, "kyodo/guide.html")


def guide_pdf(request):
    """The 利用案内 PDF, current with the center's data: made ahead by the beat sweep, or
    here and now when there is none yet (a second or less)."""
    language = translation.get_language()
    document = selectors.current_guide(language) or services.guide_make(language=language)
    if document.status != DocumentStatus.READY:
        return render(request, "kyodo/guide.html", {"failed": True}, status=503)
    return downloads.document_download(document)


def document_download(request, pk):
    document = get_object_or_404(selectors.documents_visible_to(request.user), pk=pk)
    return downloads.document_download(document)


def health(request):
    """For the load balancer and compose: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})
