# Being written: see consultations/urls.py for the view names this module provides.
from django.http import Http404


def __getattr__(name):
    def view(request, *args, **kwargs):
        raise Http404

    return view
