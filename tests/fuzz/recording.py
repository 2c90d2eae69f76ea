"""A test-only middleware that records which GET parameters a view reads.

It swaps the request's QueryDict for one that notes each key asked for (get, [], getlist,
in). The fuzz test's meta-test sends every URL as every role through it and checks that each
key read is in tests/fuzz/parameters.py, so a new parameter cannot be left out of the fuzzing.
"""

from django.http import QueryDict

READ: list[tuple[str, str]] = []  # (url name, key)


class RecordingQueryDict(QueryDict):
    url_name = ""

    def _note(self, key):
        READ.append((self.url_name, key))

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)


class RecordGetParameters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import resolve

        recording = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        try:
            recording.url_name = resolve(request.path_info).view_name
        except Exception:
            recording.url_name = "?"
        request.GET = recording
        return self.get_response(request)
