"""(being written: each view 404s until it is)"""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def index(request, *args, **kwargs):
    raise Http404


def round_detail(request, *args, **kwargs):
    raise Http404


def round_guide(request, *args, **kwargs):
    raise Http404


def results(request, *args, **kwargs):
    raise Http404

