from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The ``load_demo`` command, at the top of the layers: it calls every app's ``demo.load``, so it
    may sit in no app those modules belong to (each ``<app>/demo.py`` imports only apps below it)."""

    name = "demo"
    verbose_name = "Données de démonstration"
