"""The one way to make a PDF: render a template with WeasyPrint into tagged PDF/UA bytes.

Templates extend ``pdf/base.html`` (which sets ``<html lang>``, ``<title>`` and page numbers).
Only our own static files can be fetched while rendering; no network access.
"""

from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


def _static_only_fetcher():
    """A WeasyPrint URL fetcher that serves data: URLs and our static files, and refuses the rest."""
    import mimetypes

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.path.startswith(settings.STATIC_URL):
                found = finders.find(parsed.path.removeprefix(settings.STATIC_URL))
                if found:
                    kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, body=Path(found).read_bytes(), headers={"Content-Type": kind}
                    )
            raise ValueError(f"PDF rendering may only load our own static files, not {url}")

    return StaticOnlyFetcher()


def render_pdf(template: str, context: dict, *, language: str = "da") -> bytes:
    """Render ``template`` to a tagged PDF (PDF/UA-1) in the given language (Danish by default)."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, {**context, "pdf": True, "LANGUAGE_CODE": language})
    document = HTML(string=html, base_url="/", url_fetcher=_static_only_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")
