from django.db import migrations, models

from talks import comments_version


def create_postgresql_triggers(apps, schema_editor):
    # SQLite's come after the migrations (comments_version.install_after_migrations).
    if schema_editor.connection.vendor == "postgresql":
        comments_version.run("create", schema_editor.connection)


def drop_triggers(apps, schema_editor):
    comments_version.run("drop", schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0011_search_longer_prefixes"),
    ]

    operations = [
        migrations.AddField(
            model_name="talk",
            name="comments_version",
            field=models.PositiveBigIntegerField(default=0, db_default=0, editable=False),
        ),
        migrations.RunPython(create_postgresql_triggers, drop_triggers),
    ]
