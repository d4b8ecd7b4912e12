from io import StringIO

from django.core.management import call_command

from accounts.models import User
from talks.management.demo_data import DEMO_PASSWORD
from talks.models import Comment, EmailAddress, Talk, TrustedAddress


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return (User.objects.count(), Talk.objects.count(), Comment.objects.count())


def test_the_default_demo_fills_an_empty_database_with_a_working_site(client, db):
    seed()

    assert counts() == (6, 40, 240)
    assert User.objects.filter(is_staff=True, is_superuser=True).count() == 1
    assert Comment.objects.pending().exists() is True
    assert Comment.objects.approved().exists() is True
    for talk in Talk.objects.all():
        assert bool(talk.video_url) == bool(talk.video_embed), talk.video_url
        assert bool(talk.slides_url) == bool(talk.slides_embed), talk.slides_url
    newest = Talk.objects.timeline().first()
    assert client.get("/").status_code == 200
    assert client.get(f"/talk/{newest.pk}/").status_code == 200
    assert client.get(newest.author.get_absolute_url()).status_code == 200


def test_a_demo_speaker_logs_in_with_the_demo_password(client, db):
    seed()
    admin = User.objects.get(is_staff=True)

    response = client.post("/auth/login/", {"username": admin.email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_if_empty_seeds_an_empty_database(db):
    seed("--if-empty")

    assert counts() == (6, 40, 240)


def test_if_empty_leaves_a_database_with_talks_alone(db):
    seed("--if-empty")
    before = counts()

    out = seed("--if-empty")

    assert counts() == before
    assert out == "The database already has talks: no demo data added.\n"


def test_the_demo_showcase_is_a_conversation(client, db):
    seed()
    showcase = Talk.objects.timeline().first()

    [question] = showcase.comments.filter(pinned=True)
    assert question.answered is True
    replies = question.replies.order_by("created_at", "id")
    assert [reply.by_speaker for reply in replies.approved()] == [False, True]
    assert replies.pending().count() == 1
    page = client.get(showcase.get_absolute_url()).content.decode()
    assert page.count('class="comment comment-reply"') == 2
    assert "data-seek=" in page


def test_the_demo_has_a_trusted_commenter_with_a_confirmed_address(db):
    out = seed()

    trusted = TrustedAddress.objects.select_related("from_comment").get()
    assert trusted.from_comment.author_email.lower() == trusted.address
    assert trusted.from_comment.talk.author == trusted.speaker
    assert EmailAddress.objects.is_confirmed(trusted.address) is True
    assert f"trusts {trusted.address}, whose address is confirmed." in out
