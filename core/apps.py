from django.apps import AppConfig
from django.core.cache import caches
from django.db.backends.signals import connection_created
from django.utils.autoreload import file_changed

from core.timestamps import use_compiled_loader


def forget_template_fragments(sender, file_path, **kwargs):
    """The development server reloads an edited template without restarting: drop the page shell's
    cached fragments too (settings: CACHES["template_fragments"]), so the edit shows at once."""
    if file_path.suffix != ".py":
        caches["template_fragments"].clear()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle"

    def ready(self):
        file_changed.connect(forget_template_fragments, dispatch_uid="core_forget_template_fragments")
        connection_created.connect(use_compiled_loader, dispatch_uid="core_compiled_timestamps")
