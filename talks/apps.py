from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save, pre_migrate


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "Talks"

    def ready(self):
        from . import signals
        from .comments import comment_published

        post_save.connect(
            signals.comment_saved,
            sender=self.get_model("Comment"),
            dispatch_uid="talks.comment_saved",
        )
        comment_published.connect(
            signals.comment_published,
            sender=self.get_model("Comment"),
            dispatch_uid="talks.comment_published",
        )
        pre_migrate.connect(signals.migrating, sender=self, dispatch_uid="talks.search_index_out")
        post_migrate.connect(signals.migrated, sender=self, dispatch_uid="talks.search_index_in")
