from django.apps import AppConfig


class DmnConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dmn"
    verbose_name = "Certification des dispositifs médicaux numériques"
