"""(being written: each view 404s until it is)"""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def dashboard(request, *args, **kwargs):
    raise Http404


def dashboard_csv(request, *args, **kwargs):
    raise Http404


def declarations(request, *args, **kwargs):
    raise Http404

