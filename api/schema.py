"""drf-spectacular post-processing: the answers every endpoint can give besides 200, so the
schema tells clients (and the schema tester checks) the whole truth."""

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Each wrong parameter with what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result, generator, request, public):
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            if any(p.get("in") == "query" for p in parameters):
                responses.setdefault("400", _json(_FIELD_ERRORS, "A parameter is wrong."))
            # A detail that is not public, or a list page past the last one.
            responses.setdefault("404", _json(_DETAIL, "Not found."))
            responses.setdefault(
                "429",
                {
                    **_json(_DETAIL, "Too many requests from this client; see Retry-After."),
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                },
            )
    return result
