from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .roles import roles_of


class StaffSecondFactorMiddleware:
    """Staff roles (secretariat, region billing) must pass TOTP before any non-public page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.REQUIRE_STAFF_2FA or not request.user.is_authenticated:
            return None
        if getattr(view_func, "login_required", True) is False or getattr(view_func, "otp_exempt", False):
            return None
        if request.user.is_verified():
            return None
        if roles_of(request).is_staff_role or request.user.is_superuser:
            return redirect(f"{reverse('accounts:otp')}?next={request.get_full_path()}")
        return None


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
