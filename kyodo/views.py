from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from kyodo import downloads, selectors
from kyodo.documents import GUIDE_KIND
from kyodo.models import DocumentStatus
from kyodo.services import document_request


def home(request):
    return render(
        request,
        "kyodo/home.html",
        {
            "today": selectors.today_status(),
            "week": selectors.upcoming_days(7),
            "opening_hours": selectors.opening_hours(),
            "annual_closures": selectors.annual_closures(),
        },
    )


def guide(request):
    """The 利用案内 page: download the PDF, or have it made and watch it being made."""
    document = selectors.latest_document(kind=GUIDE_KIND, language=translation.get_language())
    template = "kyodo/guide_status.html" if request.htmx else "kyodo/guide.html"
    return render(request, template, {"document": document})


@require_POST
def guide_request(request):
    language = translation.get_language()
    document = selectors.latest_document(kind=GUIDE_KIND, language=language)
    # One at a time, and at most one new guide a day: the public can press the button.
    fresh = document is not None and (
        document.status == DocumentStatus.PENDING
        or timezone.localdate(document.created_at) == timezone.localdate()
    )
    if not fresh:
        document_request(
            kind=GUIDE_KIND,
            template_name="pdf/guide.html",
            filename=f"kyodo-station-guide-{language}.pdf",
            language=language,
            by=request.user if request.user.is_authenticated else None,
        )
    return redirect("guide")


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
