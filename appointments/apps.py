from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self):
        # Member, substitute, chair and appointee follow from the register this app owns: accounts
        # asks for them through its registry, and forgets them when a row they follow from changes.
        # (Imported here: models may only be imported once the app registry is ready.)
        from accounts.roles import invalidate_roles_on, register_role_source

        from .access import register_roles
        from .models import Appointment, Council, Seat, StandIn

        register_role_source(register_roles)
        invalidate_roles_on(Seat, StandIn, Council, Appointment)
