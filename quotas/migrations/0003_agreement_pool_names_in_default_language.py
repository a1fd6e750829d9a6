"""Existing agreement titles and pool names become their Russian (default-language) text.

What ``manage.py update_translation_fields`` does: the value each row had before
the names were translated is copied into the default language's column where
that column is still empty, so every page keeps showing it.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import F, Q


def copy_into_default_language(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for model, field in (("Agreement", "title"), ("QuotaPool", "name")):
        manager = apps.get_model("quotas", model).objects
        manager.filter(Q(**{f"{field}_ru__isnull": True}) | Q(**{f"{field}_ru": ""})).update(
            **{f"{field}_ru": F(field)}
        )


class Migration(migrations.Migration):
    dependencies = [("quotas", "0002_agreement_pool_names_translated")]

    operations = [migrations.RunPython(copy_into_default_language, migrations.RunPython.noop)]
