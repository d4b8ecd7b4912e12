from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "Talks"

    def ready(self):
        from . import signals

        post_save.connect(
            signals.comment_saved,
            sender=self.get_model("Comment"),
            dispatch_uid="talks.comment_saved",
        )
        post_migrate.connect(
            signals.migrated, sender=self, dispatch_uid="talks.search_index_repaired"
        )
