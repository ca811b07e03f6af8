from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic demonstration data: `seed_demo` (and the million-victim generator of the
    benchmarks)."""

    name = "demo"
    verbose_name = "Demonstration data"
