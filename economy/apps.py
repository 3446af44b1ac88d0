from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    """The KKR's economy (docs/rules.md §9): political events, joint initiatives, remuneration."""

    name = "economy"
    verbose_name = _("Economy")
