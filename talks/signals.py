"""Signal receivers: each hands the event to the module that owns the rule."""

from . import notifications


def comment_saved(sender, instance, created, raw=False, **kwargs):
    """A comment was saved: notifications decide whether it calls for emails."""
    if raw:  # loaddata writes rows as they were; nothing happened to tell anyone about
        return
    notifications.comment_saved(instance, created=created)
