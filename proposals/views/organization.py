"""(being written: each view 404s until it is)"""

from django.http import Http404


def mine(request, *args, **kwargs):
    raise Http404


def create(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def edit(request, *args, **kwargs):
    raise Http404


def attachment_add(request, *args, **kwargs):
    raise Http404


def attachment_remove(request, *args, **kwargs):
    raise Http404


def attachment_download(request, *args, **kwargs):
    raise Http404


def submit(request, *args, **kwargs):
    raise Http404


def withdraw(request, *args, **kwargs):
    raise Http404


def letter(request, *args, **kwargs):
    raise Http404


def submitted_pdf(request, *args, **kwargs):
    raise Http404

