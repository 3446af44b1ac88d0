from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts.access import public

from . import views

# The language switch stays usable on the TOTP step of a half-finished login.
language_switch = public(set_language)
language_switch.otp_exempt = True

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("udvikling/post/", views.dev_outbox, name="dev_outbox"),
    path("sprog/", language_switch, name="set_language"),
    path("konto/", include("accounts.urls")),
    path("kkr/", include("appointments.urls")),
    path("moeder/", include("meetings.urls")),
    path("arkiv/", include("archive.urls")),
    path("iv/", include("agreements.urls")),
    path("evaluering/", include("evaluations.urls")),
    path("okonomi/", include("economy.urls")),
    path("api/", include("kkr_portal.api_urls")),
    path("admin/", admin.site.urls),
]
