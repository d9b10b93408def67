from django.apps import AppConfig


class HelpcentreConfig(AppConfig):
    name = "helpcentre"
    verbose_name = "Centre d'aide"
