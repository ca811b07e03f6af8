from django.apps import AppConfig


class CtmsConfig(AppConfig):
    name = "ctms"
    verbose_name = "CTMS core"
