from django.apps import AppConfig


class ProofsConfig(AppConfig):
    name = "proofs"
    verbose_name = "Preuves"
