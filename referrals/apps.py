from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        # Registers this app's action policies for the {% can %} template tag, and its webhook
        # tasks in every process: hand-overs post their events through
        # `referrals.tasks.post_event`, called by its name.
        from . import policies, tasks  # noqa: F401
