"""What every public endpoint shares: read-only, anonymous (no session is read, so no
personal view and no CSRF to consider), paginated, throttled per client, with an ETag that
answers a repeated request with 304 Not Modified."""

import hashlib

from django.utils.cache import get_conditional_response
from rest_framework import viewsets
from rest_framework.permissions import AllowAny


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Pillars subclass this for their endpoints; querysets must hold only what is public.

    The ETag is a hash of the body: it changes exactly when the answer does (an unpublished
    item or a deleted row included). Last-Modified is not sent: a newest timestamp over the
    rows cannot see a row that left the list, so a client could keep a stale copy."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    lookup_value_converter = "id"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        # Public data: shared caches may keep it briefly; the ETag revalidates it.
        response["Cache-Control"] = "public, max-age=60"
        return get_conditional_response(request._request, etag=etag, response=response)
