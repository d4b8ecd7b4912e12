"""The admins hear of errors by email: a server error, and a task that crashed in the worker."""

import pytest
from django.core import mail
from django.urls import include, path
from django_tasks import task


def boom(request):
    raise RuntimeError("the view broke")


urlpatterns = [path("boom/", boom), path("", include("talks_site.urls"))]


@task()
def crash():
    """A task that fails, as a bug in the worker's code would."""
    raise RuntimeError("the task broke")


@pytest.fixture(autouse=True)
def _admins(settings):
    settings.DEBUG = False
    settings.ADMINS = [("Ops", "ops@example.com")]


def test_a_server_error_is_mailed_to_the_admins_and_the_visitor_sees_the_500_page(
    client, settings, db
):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    [message] = mail.outbox
    assert message.to == ["ops@example.com"]
    assert message.subject.startswith("[talks] ERROR (EXTERNAL IP): Internal Server Error: /boom/")
    assert "RuntimeError at /boom/\nthe view broke\n" in message.body


def test_a_task_that_crashes_in_the_worker_is_mailed_to_the_admins():
    result = crash.enqueue()

    assert result.status == "FAILED"
    [message] = mail.outbox
    assert message.to == ["ops@example.com"]
    assert message.subject.startswith("[talks] ERROR: Task id=")
    assert "path=talks.tests.test_notifications_admins.crash state=FAILED" in message.subject
