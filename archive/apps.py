from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive")

    def ready(self):
        # The index follows the meetings services through their signals (meetings imports no
        # archive module); imported here because models must be loaded first.
        from meetings import signals

        from . import index

        signals.published_content_changed.connect(
            index.on_published_content_changed, dispatch_uid="archive.index"
        )
        signals.attachment_added.connect(index.on_attachment_added, dispatch_uid="archive.attachment")
