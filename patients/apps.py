from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = _("Patients")

    def ready(self) -> None:
        from patients.checks import document_keys_check, document_keys_deploy_check

        checks.register(document_keys_check)
        checks.register(document_keys_deploy_check, deploy=True)
