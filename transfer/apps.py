from django.apps import AppConfig


class TransferConfig(AppConfig):
    """Import and export of whole record sets (JSON Lines): `import_records`, `export_records`."""

    name = "transfer"
    verbose_name = "Import and export"
