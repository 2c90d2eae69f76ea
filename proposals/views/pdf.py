"""(being written: each view 404s until it is)"""

from django.http import Http404


def packet(request, *args, **kwargs):
    raise Http404


def score_sheet(request, *args, **kwargs):
    raise Http404


def summary(request, *args, **kwargs):
    raise Http404

