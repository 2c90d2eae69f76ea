"""The Permissions-Policy header: every browser feature the portal does not use is denied on
every page (KYODO_PERMISSIONS_POLICY); a view that needs one allows it for itself with
``@permissions_policy(camera=["self"])`` (e.g. a future check-in scanner page)."""

from functools import wraps

from django.conf import settings

HEADER = "Permissions-Policy"


def _allowlist(origins) -> str:
    # "self" and "*" are keywords; anything else is an origin and is quoted (the header is a
    # structured field: camera=(self "https://scanner.example.jp")).
    return "(" + " ".join(o if o in ("self", "*") else f'"{o}"' for o in origins) + ")"


def header_value(policy: dict) -> str:
    return ", ".join(f"{feature}={_allowlist(origins)}" for feature, origins in policy.items())


def permissions_policy(**features):
    """Allow features on one view: ``@permissions_policy(camera=["self"])``; a feature named
    with a hyphen is written with an underscore (``display_capture=["self"]``). The rest of
    the site's policy stays as it is."""
    overrides = {name.replace("_", "-"): list(origins) for name, origins in features.items()}

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response._permissions_policy = {
                **getattr(response, "_permissions_policy", {}),
                **overrides,
            }
            return response

        return wrapper

    return decorator


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            policy = {
                **settings.KYODO_PERMISSIONS_POLICY,
                **getattr(response, "_permissions_policy", {}),
            }
            response[HEADER] = header_value(policy)
        return response
