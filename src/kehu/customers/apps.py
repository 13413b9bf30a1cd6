from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "kehu.customers"
    label = "customers"

    def ready(self) -> None:
        # The answers to ``permissions.can`` for this app's models (core defines the question).
        from kehu.customers import personal_data, rules

        rules.register()
        # What this app holds about a person, for export and erasure (kehu.privacy).
        personal_data.register_sources()
        # Logged contacts on the timeline; apps above register theirs in their ready().
        from django.utils.translation import gettext_lazy as _

        from kehu.customers import timeline

        timeline.register("interaction", _("Contact"), timeline.interactions)
        # The next follow-ups set when contacts are logged, on the owner's due list.
        from kehu.customers import followups

        followups.register()
