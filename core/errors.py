"""The one way a service refuses a write: `Refused`, a ValidationError that may name fields.

Services raise it (through `refuse`) and never save anything when they do; views map it onto a
form (`core.views.show_refusal`) or a message (`core.views.attempt`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A write the rules refuse. Construct with a message, a list, or a {field: [messages]} dict."""


def refuse(message, field: str | None = None):
    """Refuse with a message; ``field`` names the form field (or upload column) it belongs to."""
    raise Refused({field: [message]} if field else message)
