"""Walk every URL pattern (from the URLconf, so new views are covered automatically) as anonymous
and as each persona, and check deny-by-default; then walk the seeded demo as each demo login and
check that every page a role may see renders."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.access import API, PUBLIC
from accounts.roles import compute_roles

from .conftest import log_in

# Converters get values that resolve but point at nothing, or at the fixtures' first rows.
SAMPLE = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}
DENIED = {401, 403, 404, 405}


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin" or str(entry.pattern).startswith("admin/"):
                continue  # Django's admin guards itself (staff login); covered below
            yield from walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def to_url(pattern: str) -> str:
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), pattern)
    url = url.replace("^", "").replace("$", "")
    return "/" + url


PATTERNS = sorted(walk(), key=lambda item: item[0])


def access_of(callback):
    return getattr(callback, "kkr_access", None)


def test_every_view_states_who_may_see_it():
    missing = [pattern for pattern, callback in PATTERNS if access_of(callback) is None]
    assert missing == [], f"views without @public/@any_user/@require_roles/@api: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "callback"), PATTERNS, ids=[p for p, _ in PATTERNS])
def test_anonymous_is_denied_except_public(client, pattern, callback):
    response = client.get(to_url(pattern))
    access = access_of(callback)
    if access == PUBLIC:
        assert response.status_code < 500
        return
    if access == API:
        assert response.status_code in DENIED
        return
    assert response.status_code in DENIED | {302}
    if response.status_code == 302:
        assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_admin_needs_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_each_role_reaches_only_views_of_its_roles(client, personas):
    """For each persona and each view: a view restricted to other roles refuses (403/404), and no
    view answers with a server error."""
    failures = []
    for name, user in personas.items():
        log_in(client, user)
        kinds = compute_roles(user).kinds
        for pattern, callback in PATTERNS:
            access = access_of(callback)
            response = client.get(to_url(pattern))
            if response.status_code >= 500:
                failures.append(f"{name} {pattern}: {response.status_code}")
            elif (
                isinstance(access, frozenset) and not (access & kinds) and response.status_code not in DENIED
            ):
                failures.append(f"{name} {pattern}: {response.status_code}, expected refusal")
        client.logout()
    assert failures == []


# --- The demo, walked as each of its logins (issue 13.5) -----------------------------------------

DEMO_LOGINS = [
    "sekretariat@demo.kkr.dk",
    "formand@demo.kkr.dk",
    "medlem@demo.kkr.dk",
    "suppleant@demo.kkr.dk",
    "udpeget@demo.kkr.dk",
    "klerk.kbh@demo.kkr.dk",
    "klerk.frb@demo.kkr.dk",
    "region@demo.kkr.dk",
    None,  # the public
]
# Same-site links the walk does not follow: logging out ends the walk; the admin guards itself;
# files are served by the web server.
NOT_FOLLOWED = ("/konto/logout", "/admin/", "/static/", "/media/", "/i18n/")
# At most this many different URLs of one view (a list of 54 seats needs no 54 visits).
PER_VIEW = 3
# 202: the "your PDF is being produced" page of a document the pdf worker renders after the commit.
RENDERED = {200, 202}
HREF = re.compile(r"""href=["']([^"'#]+)["']""")


def view_of(path: str):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None


def seeds_for(kinds, anonymous: bool) -> list[str]:
    """Every parameterless page the role may see by its stated access."""
    urls = []
    for pattern, callback in PATTERNS:
        if "<" in pattern or pattern.startswith("api/"):
            continue
        access = access_of(callback)
        may = access == PUBLIC or (
            not anonymous and (access == "any-user" or (isinstance(access, frozenset) and access & kinds))
        )
        if may:
            urls.append(to_url(pattern))
    return urls


def walk_demo_as(client, email, inspect=None):
    """Walk the demo as one login; ``inspect(url, response)`` sees every HTML page rendered."""
    from accounts.models import User

    if email is None:
        kinds, anonymous = frozenset(), True
    else:
        user = User.objects.get(email=email)
        log_in(client, user)
        kinds, anonymous = compute_roles(user).kinds, False
    seeds = seeds_for(kinds, anonymous)
    queue = seeds if anonymous else ["/", *seeds]
    seen, per_view, failures = set(), {}, []
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith(NOT_FOLLOWED):
            continue
        seen.add(url)
        match = view_of(url.split("?")[0])
        if match is None:
            failures.append(f"{url}: no such page")
            continue
        key = match.route
        if per_view.get(key, 0) >= PER_VIEW:
            continue
        per_view[key] = per_view.get(key, 0) + 1
        response = client.get(url)
        if response.status_code in {301, 302}:
            location = response["Location"]
            if location.startswith("/"):
                queue.append(location)
            continue
        if response.status_code == 405 and url in seeds:
            continue  # a POST-only URL of the URLconf (the walk follows no forms)
        if response.status_code not in RENDERED:
            failures.append(f"{url}: {response.status_code}")
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            if inspect is not None:
                inspect(url, response)
            for href in HREF.findall(response.content.decode()):
                href = href.replace("&amp;", "&")
                if href.startswith("/") and not href.startswith("//"):
                    queue.append(href)
    return seen, failures


@pytest.mark.django_db
def test_every_demo_page_renders_for_every_role_that_may_see_it(client):
    """Each demo login (and the public) opens every page its roles may see by the URLconf, and every
    same-site link those pages offer, and gets 200: no 500, no refused link, no dead link."""
    import os

    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    client.raise_request_exception = False
    failures = []
    for email in DEMO_LOGINS:
        seen, failed = walk_demo_as(client, email)
        assert len(seen) > 3, email
        failures += [f"{email or 'public'} {failure}" for failure in failed]
        client.logout()
    assert failures == [], "\n".join(failures)
