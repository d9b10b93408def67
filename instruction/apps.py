from django.apps import AppConfig


class InstructionConfig(AppConfig):
    """Review orchestration: the reviewer's comments and decisions, their queues and the records the
    vendor and the reviewer read, composed from assessments and certificates (both below it)."""

    name = "instruction"
    verbose_name = "Orchestration de l'instruction"
