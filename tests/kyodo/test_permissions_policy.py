"""The Permissions-Policy header: what the portal does not use is denied on every page, and a
view allows a feature for itself with kyodo.permissions_policy.permissions_policy."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from kyodo.permissions_policy import PermissionsPolicyMiddleware, permissions_policy

pytestmark = pytest.mark.django_db


def _features(header: str) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in header.split(","))


def test_pages_deny_the_camera_microphone_location_payment_and_usb(client):
    features = _features(client.get("/")["Permissions-Policy"])

    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "fullscreen"):
        assert features[feature] == "()", feature


def test_a_view_allows_the_camera_for_itself_and_keeps_the_rest_denied():
    @permissions_policy(camera=["self"])
    def scanner(request):
        return HttpResponse("scanner")

    def other(request):
        return HttpResponse("other")

    request = RequestFactory().get("/staff/check-in/")
    allowed = _features(PermissionsPolicyMiddleware(scanner)(request)["Permissions-Policy"])
    denied = _features(PermissionsPolicyMiddleware(other)(request)["Permissions-Policy"])

    assert allowed["camera"] == "(self)"
    assert allowed["microphone"] == "()"
    assert denied["camera"] == "()"


def test_origins_are_quoted_and_hyphenated_features_are_named_with_underscores():
    @permissions_policy(display_capture=["self", "https://scanner.example.jp"])
    def view(request):
        return HttpResponse()

    response = PermissionsPolicyMiddleware(view)(RequestFactory().get("/"))

    assert _features(response["Permissions-Policy"])["display-capture"] == (
        '(self "https://scanner.example.jp")'
    )
