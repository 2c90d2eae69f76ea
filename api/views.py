"""The API's human page: every endpoint, its parameters and an example, read from the same
OpenAPI schema that /api/v1/schema/ serves (so the page cannot drift from the code)."""

import functools

from django.conf import settings
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator


def _operations(schema: dict) -> list[dict]:
    rows = []
    for path, methods in schema.get("paths", {}).items():
        operation = methods.get("get")
        if not operation:
            continue
        rows.append(
            {
                "path": path,
                "summary": operation.get("summary") or "",
                "description": operation.get("description") or "",
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": parameter.get("in", ""),
                        "description": parameter.get("description", ""),
                        "type": parameter.get("schema", {}).get("type", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
            }
        )
    return rows


@functools.cache
def _operations_of_the_schema() -> list[dict]:
    # The schema is made from the code, so it is the same for the life of the process; making
    # it walks every view and serializer (tens of milliseconds), not work for each visit.
    return _operations(SchemaGenerator().get_schema(request=None, public=True))


def index(request):
    return render(
        request,
        "api/index.html",
        {
            "operations": _operations_of_the_schema(),
            "licence": settings.KYODO_OPEN_DATA_LICENCE,
            "rate": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"],
        },
    )
