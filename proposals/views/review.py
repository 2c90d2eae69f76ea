"""(being written: each view 404s until it is)"""

from django.http import Http404


def py(request, *args, **kwargs):
    raise Http404


def home(request, *args, **kwargs):
    raise Http404


def stage(request, *args, **kwargs):
    raise Http404


def score(request, *args, **kwargs):
    raise Http404


def declare(request, *args, **kwargs):
    raise Http404


def total(request, *args, **kwargs):
    raise Http404


def submit(request, *args, **kwargs):
    raise Http404


def reopen(request, *args, **kwargs):
    raise Http404


def attachment(request, *args, **kwargs):
    raise Http404


def opinion(request, *args, **kwargs):
    raise Http404

