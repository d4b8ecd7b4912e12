import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_talk_authors(apps, schema_editor):
    Comment = apps.get_model("talks", "Comment")
    Talk = apps.get_model("talks", "Talk")
    Comment.objects.update(
        talk_author=Subquery(Talk.objects.filter(pk=OuterRef("talk_id")).values("author_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0002_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="talk_author",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(copy_talk_authors, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="comment",
            name="talk_author",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("approved", False)),
                fields=["talk_author", "created_at"],
                name="comment_pending_author_idx",
            ),
        ),
    ]
