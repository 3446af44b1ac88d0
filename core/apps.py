from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: contracts every app shares (refusals, the clock). Imports no project app."""

    name = "core"
    verbose_name = _("Core")
