import django.db.models.deletion
from django.db import migrations, models

from talks.search import index


def create_index(apps, schema_editor):
    # Tables, triggers, then every talk already there: the index is complete from the start.
    index.run("create", schema_editor.connection)
    index.run("rebuild", schema_editor.connection)


def drop_index(apps, schema_editor):
    index.run("drop", schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0003_comment_talk_author"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.CreateModel(
            name="TalkSearchEntry",
            fields=[
                (
                    "talk",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="talks.talk",
                    ),
                ),
                ("document", models.TextField(db_column="talks_talk_search")),
            ],
            options={
                "db_table": "talks_talk_search",
                "managed": False,
            },
        ),
    ]
