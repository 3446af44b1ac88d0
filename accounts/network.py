"""The client's address behind the TLS proxy, for the login throttle (django-axes).

Each proxy appends the address it received the request from to ``X-Forwarded-For``. With
``TRUSTED_PROXY_COUNT`` = N proxies in front of the portal, the client is the N-th entry from the
right; anything further left was written by the client itself and is ignored. With N = 0 (no
proxy, the default) the header is not read at all.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]


def login_name(request, credentials) -> str:
    """The throttle's key for the email typed: one key whatever its case or surrounding spaces."""
    typed = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or request.POST.get(
        settings.AXES_USERNAME_FORM_FIELD, ""
    )
    return str(typed).strip().lower()
