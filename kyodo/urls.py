from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.rules import can_use_backoffice
from kyodo import views

admin.site.site_header = _("Kyodo Station Chuo administration")
admin.site.site_title = _("Kyodo Station Chuo administration")
admin.site.index_title = _("Backoffice")
# The admin's own log-in form has no rate limit: send it through allauth's, which has one
# (and asks for the second factor).
admin.site.login = secure_admin_login(admin.site.login)
# The admin asks is_staff; its rights, like every other, wait for two-factor log-in where
# that is required (accounts.rules.rights_apply).
admin.site.has_permission = lambda request: can_use_backoffice(request.user)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("staff/", views.staff_home, name="staff_home"),
    path("opendata/", views.opendata, name="opendata"),
    path("guide/", views.guide, name="guide"),
    path("guide/guide.pdf", views.guide_pdf, name="guide_pdf"),
    path("documents/<id:pk>/download/", views.document_download, name="document_download"),
    path("accounts/", include("allauth.urls")),
    path("mypage/", include("accounts.urls")),
    path("", include("organizations.urls")),
    path("", include("consultations.urls")),
    path("", include("facilities.urls_staff")),
    path("", include("facilities.urls")),
    path("", include("facilities.urls_series")),
    path("", include("facilities.urls_feeds")),
    path("", include("events.urls_staff")),
    path("", include("events.urls")),
    path("", include("proposals.urls")),
    path("", include("proposals.urls_review")),
    path("", include("proposals.urls_staff")),
    path("", include("api.urls")),
    path("", include("evaluations.urls")),
    path("", include("evaluations.urls_staff")),
    path("", include("coordination.urls")),
    path("", include("coordination.council_urls")),
    path("", include("coordination.library_urls")),
    path("", include("subsidies.urls")),
    path("", include("subsidies.urls_staff")),
    path("", include("publications.urls")),
    path("", include("publications.urls_staff")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "kyodo.views.not_found"
