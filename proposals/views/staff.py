"""(being written: each view 404s until it is)"""

from django.http import Http404


def rounds(request, *args, **kwargs):
    raise Http404


def round_detail(request, *args, **kwargs):
    raise Http404


def release(request, *args, **kwargs):
    raise Http404


def stage_action(request, *args, **kwargs):
    raise Http404


def proposal_detail(request, *args, **kwargs):
    raise Http404


def proposal_return(request, *args, **kwargs):
    raise Http404


def pre_consultation(request, *args, **kwargs):
    raise Http404


def department(request, *args, **kwargs):
    raise Http404


def shortlist(request, *args, **kwargs):
    raise Http404


def unshortlist(request, *args, **kwargs):
    raise Http404


def decision(request, *args, **kwargs):
    raise Http404


def project_detail(request, *args, **kwargs):
    raise Http404


def project_action(request, *args, **kwargs):
    raise Http404

