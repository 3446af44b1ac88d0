from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Imported here: models and the modules that use them load only once the apps are ready.
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_active
        from .roles import invalidate_roles_on

        invalidate_roles_on(self.get_model("Role"))
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: request is not None and mark_active(request),
            weak=False,
            dispatch_uid="accounts-idle-clock",
        )
