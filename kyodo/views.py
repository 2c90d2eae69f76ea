from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from kyodo import downloads, selectors, services
from kyodo.home import home_sections_for
from kyodo.models import DocumentStatus


def home(request):
    return render(
        request,
        "kyodo/home.html",
        {
            **selectors.home_calendar(),
            "sections": home_sections_for(request),
        },
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
