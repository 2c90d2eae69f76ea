"""The portal's URLs plus /bench/bare/: the baseline every page is measured against."""

from django.template.response import TemplateResponse
from django.urls import path

from kyodo.urls import urlpatterns as portal_urlpatterns


def bare(request):
    """The least a Django page costs here: the same middleware, a two-line template."""
    return TemplateResponse(request, "bench/bare.html", {"title": "bare"})


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
