from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from .access import API
from .roles import roles_of


def needs_second_factor(request) -> bool:
    """A login that must pass TOTP before anything else: staff roles (secretariat, region
    officer), superusers and every login that can reach the admin (is_staff), role or not."""
    user = request.user
    if not settings.REQUIRE_STAFF_2FA or not user.is_authenticated or user.is_verified():
        return False
    return user.is_staff or user.is_superuser or roles_of(request).is_staff_role


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
