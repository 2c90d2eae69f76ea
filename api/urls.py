from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import views
from api.registry import endpoints

app_name = "api"


def _router() -> SimpleRouter:
    # Paths (not regexes) with the project's <id:…> converter: ids are bounded like every
    # other URL's (kyodo.bounds), and no ".json" suffix patterns.
    router = SimpleRouter(trailing_slash=True, use_regex_path=False)
    for endpoint in endpoints():
        router.register(endpoint.prefix, endpoint.viewset, basename=endpoint.basename)
    return router


urlpatterns = [
    path("api/", views.index, name="index"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/", include(_router().urls)),
]
