"""The API's human page: every endpoint, its parameters and an example, read from the same
OpenAPI schema that /api/v1/schema/ serves (so the page cannot drift from the code)."""

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


def index(request):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/index.html",
        {
            "operations": _operations(schema),
            "licence": settings.KYODO_OPEN_DATA_LICENCE,
            "rate": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"],
        },
    )
