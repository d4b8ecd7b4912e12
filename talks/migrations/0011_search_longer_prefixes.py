from django.db import migrations

from talks.search import index


def remake_sqlite_index(apps, schema_editor):
    # FTS5 takes its prefix indexes at CREATE only (talks/search/index.py); its triggers and its
    # rows come back after the migrations (index.install_after_migrations). PostgreSQL's index
    # has no such option.
    if schema_editor.connection.vendor == "sqlite":
        index.run("drop", schema_editor.connection)
        index.run("create", schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0010_comment_language"),
    ]

    operations = [
        migrations.RunPython(remake_sqlite_index, remake_sqlite_index),
    ]
