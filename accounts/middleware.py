import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from .access import API
from .roles import roles_of


def is_staff_login(request) -> bool:
    """Staff roles (secretariat, region officer), superusers and every login that can reach the
    admin (is_staff), portal role or not."""
    user = request.user
    return user.is_authenticated and (user.is_staff or user.is_superuser or roles_of(request).is_staff_role)


def needs_second_factor(request) -> bool:
    """A staff login that has not passed TOTP yet."""
    if not settings.REQUIRE_STAFF_2FA or not request.user.is_authenticated or request.user.is_verified():
        return False
    return is_staff_login(request)


class StaffSecondFactorMiddleware:
    """A half-finished staff login (password given, TOTP not yet) reaches nothing but the TOTP
    step, on every path: pages, public pages, the admin and the REST API (whose session
    authentication would otherwise accept it). Only views marked ``otp_exempt`` (the TOTP step,
    logout, the language switch) let it through. Token-authenticated API calls carry no session
    and are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "otp_exempt", False) or not needs_second_factor(request):
            return None
        if getattr(view_func, "kkr_access", None) == API or request.path.startswith("/api/"):
            return JsonResponse({"detail": _("The second factor (TOTP) is required.")}, status=403)
        return redirect(f"{reverse('accounts:otp')}?next={request.get_full_path()}")


# The last-activity mark is written at most this often, so a staff session is not saved on every
# request; the idle timeout is therefore exact to within this many seconds.
SEEN_RESOLUTION = 60


def mark_active(request) -> None:
    """Start a login's idle clock (on user_logged_in), so its first page does not save the session."""
    request.session["_seen"] = time.time()


class SessionGuardMiddleware:
    """Staff sessions end after STAFF_IDLE_TIMEOUT seconds without a request, and no response to
    a logged-in user may be kept by a browser or proxy cache (``Cache-Control: no-store``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_staff_login(request):
            now = time.time()
            seen = request.session.get("_seen", now)
            if now - seen > settings.STAFF_IDLE_TIMEOUT:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - seen >= SEEN_RESOLUTION or "_seen" not in request.session:
                request.session["_seen"] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class LanguageMiddleware:
    """Danish first: the portal speaks LANGUAGE_CODE unless the user chose another language with the
    switch (a cookie). The browser's Accept-Language is ignored on purpose, so every Danish user
    sees the Danish UI whatever their browser is set to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
