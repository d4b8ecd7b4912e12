"""Background tasks, run by the task backend in settings.TASKS (a worker in production)."""

from django_tasks import task

from . import notifications


@task()
def flush_notifications():
    """Send the notification emails that are due."""
    result = notifications.deliver()
    return {"sent": result.sent, "failed": result.failed, "dropped": result.dropped}
