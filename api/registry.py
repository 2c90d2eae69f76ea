"""The public API's registry: each pillar registers its read-only endpoints from its
``registrations.py`` (DESIGN.md: registries, not imports upward). This app knows no pillar."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    prefix: str  # the path under /api/v1/, e.g. "organizations"
    viewset: type
    basename: str


_endpoints: dict[str, Endpoint] = {}


def register_endpoint(prefix: str, viewset: type, basename: str) -> None:
    _endpoints[prefix] = Endpoint(prefix=prefix, viewset=viewset, basename=basename)


def endpoints() -> list[Endpoint]:
    return sorted(_endpoints.values(), key=lambda endpoint: endpoint.prefix)
