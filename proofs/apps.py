from django.apps import AppConfig


class ProofsConfig(AppConfig):
    name = "proofs"
    verbose_name = "Preuves"

    def ready(self):
        from proofs.selectors import expected_proofs_forget
        from questionnaires.signals import expected_proofs_changed

        expected_proofs_changed.connect(expected_proofs_forget, dispatch_uid="proofs-expected-forget")
