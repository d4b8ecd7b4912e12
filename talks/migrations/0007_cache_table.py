"""The table of the default cache (settings.CACHES: Django's database cache, unless CACHE_URL
names another), made by migrate so that no deployment step can be forgotten."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Does nothing for caches that are not database caches, or whose table exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("talks", "0006_outbox_attempts")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
