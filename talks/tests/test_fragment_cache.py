"""Cached fragments are never stale: what changes in the database shows on the very next request.

Each test first proves the fragment is served from the cache (the second request renders none
of the templates inside it), then changes the data the way the site does and looks again.
"""

import datetime
import re

import pytest
from django import forms
from django.test import Client

from accounts.models import User
from conftest import make_comment, make_talk, make_user
from talks import services
from talks.api.auth import issue_token
from talks.forms import CommentForm
from talks.fragments import fingerprint
from talks.models import Comment, Talk


def templates(response):
    return [template.name for template in response.templates]


def text(response):
    """The page, less the CSRF tokens (the footer's language switcher): masked anew each time."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.fixture
def timeline(client, talk):
    """The home page rendered once, so that its list is in the cache."""
    assert "includes/_pager.html" in templates(client.get("/"))
    return talk


def test_the_second_visitor_gets_the_timeline_from_the_cache(client, talk):
    first = client.get("/")
    second = Client().get("/")

    assert "includes/_pager.html" in templates(first)
    assert "includes/_pager.html" not in templates(second)
    assert text(second) == text(first)


def test_a_new_talk_is_on_the_cached_timeline_at_once(client, timeline, david):
    make_talk(david, title="A brand new talk", date=datetime.date(2024, 5, 1))

    assert "A brand new talk" in text(client.get("/"))
    assert "A brand new talk" in text(client.get("/feeds/talks/"))
    assert "A brand new talk" in text(client.get("/user/david/"))


def test_an_edited_talk_shows_its_new_title_at_once(john_client, client, timeline):
    client.get(f"/user/{timeline.author.username}/")
    response = john_client.post(
        f"/talk/{timeline.pk}/edit/",
        {"title": "Django by Example", "venue": "PyCon", "date": "2014-04-11"},
    )
    assert response.status_code == 302

    assert "Django by Example" in text(client.get("/"))
    assert "Django by Example" in text(client.get(f"/user/{timeline.author.username}/"))


def test_the_talk_page_shows_an_edited_talk_and_speaker_at_once(talk):
    first = Client().get(talk.get_absolute_url())
    assert "talks/_talk_header.html" in templates(first)
    assert "talks/_talk_header.html" not in templates(Client().get(talk.get_absolute_url()))

    Talk.objects.filter(pk=talk.pk).update(
        title="Django by Example", venue="DjangoCon", video_url="https://vimeo.com/76979871"
    )
    User.objects.filter(pk=talk.author_id).update(name="Jane Doe")
    page = text(Client().get(talk.get_absolute_url()))

    assert "<title>Django by Example · Talks</title>" in page
    assert '"name": "Django by Example"' in page  # the JSON-LD in the head
    assert 'content="Django by Example"' in page  # and the Open Graph title
    assert "DjangoCon" in page and "Jane Doe" in page
    assert "player.vimeo.com/video/76979871" in page


def test_the_speaker_gets_their_own_copy_of_the_talks_header(john_client, talk):
    Client().get(talk.get_absolute_url())
    own = text(john_client.get(talk.get_absolute_url()))

    assert f'href="/talk/{talk.pk}/edit/"' in own
    assert "Share on your last slide" in own
    assert f'href="/talk/{talk.pk}/edit/"' not in text(Client().get(talk.get_absolute_url()))


def test_a_profile_shows_its_speakers_new_details_at_once(john_client, john):
    path = f"/user/{john.username}/"
    assert "Edit profile" in text(john_client.get(path))
    assert "Edit profile" not in text(Client().get(path))
    assert "Edit profile" in text(john_client.get(path))

    User.objects.filter(pk=john.pk).update(name="Jane Doe", location="Ulm", bio="Teaches Flask")
    for page in (text(Client().get(path)), text(john_client.get(path))):
        assert "<title>Jane Doe · Talks</title>" in page
        assert '"name": "Jane Doe"' in page  # the JSON-LD in the head
        assert "Ulm" in page and "Teaches Flask" in page


def test_a_change_made_behind_the_models_back_shows_at_once(client, timeline):
    # QuerySet.update() skips save() and auto_now: the key is made from the values themselves.
    Talk.objects.filter(pk=timeline.pk).update(title="Renamed by SQL")

    assert "Renamed by SQL" in text(client.get("/"))


def test_a_deleted_talk_leaves_the_cached_timeline_and_feed_at_once(client, timeline):
    client.get("/feeds/talks/")
    timeline.delete()

    assert "Flask by Example" not in text(client.get("/"))
    assert "Flask by Example" not in text(client.get("/feeds/talks/"))


def test_a_speakers_new_name_shows_on_the_cached_timeline_at_once(john_client, client, timeline):
    response = john_client.post("/profile/edit/", {"name": "Johnny Flask", "location": ""})
    assert response.status_code == 302

    assert "Johnny Flask" in text(client.get("/"))


@pytest.fixture
def thread(client, talk):
    """The talk page with one published comment and one waiting, rendered once for a visitor."""
    make_comment(talk, body="Published already")
    waiting = make_comment(talk, approved=False, body="Waiting for **review**")
    assert "talks/_comment.html" in templates(client.get(talk.get_absolute_url()))
    return waiting


def test_the_second_visitor_gets_the_comments_from_the_cache(client, talk, thread):
    response = Client().get(talk.get_absolute_url())

    assert "talks/_comment.html" not in templates(response)
    assert "Published already" in text(response)
    assert "Waiting for" not in text(response)


def test_an_approved_comment_is_on_the_cached_talk_page_at_once(client, talk, thread):
    services.approve_comment(Comment.objects.get(pk=thread.pk))

    assert "Waiting for <strong>review</strong>" in text(client.get(talk.get_absolute_url()))
    assert "Waiting for" in text(client.get(f"/feeds/talk/{talk.pk}/comments/"))


def test_a_comment_approved_through_the_api_is_on_the_cached_page_at_once(
    client, john, talk, thread
):
    response = Client().put(
        f"/api/1.0/comments/{thread.pk}", headers={"Authorization": f"Bearer {issue_token(john)}"}
    )
    assert response.status_code == 200

    assert "Waiting for <strong>review</strong>" in text(client.get(talk.get_absolute_url()))


def test_a_deleted_comment_leaves_the_cached_talk_page_at_once(client, talk, thread):
    published = Comment.objects.get(body="Published already")
    client.get(f"/feeds/talk/{talk.pk}/comments/")
    published.delete()

    assert "Published already" not in text(client.get(talk.get_absolute_url()))
    assert "Published already" not in text(client.get(f"/feeds/talk/{talk.pk}/comments/"))


def test_a_comment_changed_behind_the_models_back_shows_at_once(client, talk, thread):
    Comment.objects.filter(body="Published already").update(body_html="<p>Edited in SQL</p>")

    assert "Edited in SQL" in text(client.get(talk.get_absolute_url()))


def test_a_commenters_new_name_shows_on_the_cached_talk_page_at_once(client, talk, david):
    make_comment(talk, author=david, body="Signed by an account")
    assert "David" in text(client.get(talk.get_absolute_url()))
    assert "talks/_comment.html" not in templates(client.get(talk.get_absolute_url()))

    User.objects.filter(pk=david.pk).update(name="David Bowie")

    assert "David Bowie" in text(client.get(talk.get_absolute_url()))


def test_a_talk_saved_from_a_copy_older_than_an_approval_keeps_it_shown(client, talk, thread):
    stale = Talk.objects.get(pk=talk.pk)
    services.approve_comment(Comment.objects.get(pk=thread.pk))
    assert "Waiting for <strong>review</strong>" in text(client.get(talk.get_absolute_url()))

    stale.description = "Saved from the copy read before the approval"
    stale.save()

    assert "Waiting for <strong>review</strong>" in text(client.get(talk.get_absolute_url()))


def test_each_page_of_comments_is_cached_apart(client, settings, talk, thread):
    settings.COMMENTS_PER_PAGE = 1
    make_comment(talk, body="On the second page")

    first, second = (
        client.get(talk.get_absolute_url()),
        client.get(f"{talk.get_absolute_url()}?page=2"),
    )

    assert "Published already" in text(first)
    assert "On the second page" not in text(first)
    assert "On the second page" in text(second)
    assert client.get(f"{talk.get_absolute_url()}?page=3").status_code == 404


def test_the_talks_speaker_never_gets_a_readers_cached_copy(talk, thread, john):
    assert "talks/_comment.html" not in templates(Client().get(talk.get_absolute_url()))
    speaker = Client()
    speaker.force_login(john)
    response = speaker.get(talk.get_absolute_url())

    assert "talks/_comment.html" in templates(response)
    assert "Waiting for <strong>review</strong>" in text(response)
    assert "visitor@example.org" in text(response)


def csrf_values(response):
    marker = 'name="csrfmiddlewaretoken" value="'
    return [part.split('"', 1)[0] for part in response.content.decode().split(marker)[1:]]


@pytest.mark.parametrize("path", ["talk", "/moderate/"])
def test_a_moderators_second_request_is_cached_with_its_own_token(talk, thread, john, path):
    speaker = Client()
    speaker.force_login(john)
    url = talk.get_absolute_url() if path == "talk" else path
    first, second = speaker.get(url), speaker.get(url)

    assert "talks/_comment.html" in templates(first)
    assert "talks/_comment.html" not in templates(second)
    # Every form of a page carries that request's one token, cached copy or not.
    assert len(set(csrf_values(first))) == len(set(csrf_values(second))) == 1
    assert csrf_values(first) != csrf_values(second)
    assert text(second).replace(csrf_values(second)[0], "") == text(first).replace(
        csrf_values(first)[0], ""
    )


def test_the_cache_never_holds_a_csrf_token(talk, thread, john, susan):
    from django.core.cache import caches

    tokens = set()
    for user in (john, susan):
        moderator = Client()
        moderator.force_login(user)
        for url in (talk.get_absolute_url(), "/moderate/", "/moderate/admin/"):
            response = moderator.get(url)
            if response.status_code == 200:
                tokens.update(csrf_values(response))
    # Every entry, as the local-memory backend keeps it: pickled.
    stored = b"".join(caches["template_fragments"]._cache.values())

    assert len(tokens) > 3
    assert stored
    assert not any(token.encode() in stored for token in tokens)


def test_an_approval_shows_on_the_moderators_cached_pages_at_once(talk, thread, john):
    speaker = Client()
    speaker.force_login(john)
    for url in (talk.get_absolute_url(), "/moderate/"):
        speaker.get(url)
    services.approve_comment(Comment.objects.get(pk=thread.pk))

    assert "data-pending-label" not in text(speaker.get(talk.get_absolute_url()))
    assert f'id="comment-{thread.pk}"' not in text(speaker.get("/moderate/"))


def test_a_moderators_buttons_carry_the_token_of_their_own_request(
    john_client, talk, thread, susan
):
    def tokens(client):
        html = client.get(talk.get_absolute_url()).content.decode()
        marker = 'name="csrfmiddlewaretoken" value="'
        return [part.split('"', 1)[0] for part in html.split(marker)[1:]]

    admin = Client()
    admin.force_login(susan)
    susans, johns = tokens(admin), tokens(john_client)

    # The navbar's logout, the comment form, the waiting comment's form (Approve, Approve and
    # trust, Delete), the published comment's (Pin, Mark answered), and the footer's language
    # switcher: this request's.
    assert len(johns) == 5
    assert len(set(johns)) == 1
    assert set(johns).isdisjoint(susans)


# --- The digest itself ----------------------------------------------------------------------


def test_the_digest_changes_with_any_loaded_field_and_with_related_rows(john, talk):
    talk = Talk.objects.select_related("author").get(pk=talk.pk)
    before = fingerprint([talk])

    assert fingerprint([Talk.objects.select_related("author").get(pk=talk.pk)]) == before
    talk.venue = "EuroPython"
    assert fingerprint([talk]) != before
    talk.venue = "PyCon"
    talk.author.name = "Someone else"
    assert fingerprint([talk]) != before


def test_a_row_loaded_with_only_some_fields_is_fingerprinted_on_those(talk):
    titled = Talk.objects.only("title").get(pk=talk.pk)
    before = fingerprint(titled)

    assert before != fingerprint(Talk.objects.get(pk=talk.pk))
    assert before != fingerprint(Talk.objects.only("venue").get(pk=talk.pk))
    titled.title = "Another title"
    assert fingerprint(titled) != before


def test_a_bound_form_cannot_be_fingerprinted(talk):
    from django.contrib.auth.models import AnonymousUser

    form = CommentForm({"body": "x"}, talk=talk, user=AnonymousUser())

    with pytest.raises(ValueError, match="bound form"):
        fingerprint(form)


def test_unbound_forms_differ_by_their_fields(talk, john):
    from django.contrib.auth.models import AnonymousUser

    visitor = CommentForm(talk=talk, user=AnonymousUser())
    speaker = CommentForm(talk=talk, user=john)

    assert fingerprint(visitor) == fingerprint(CommentForm(talk=talk, user=AnonymousUser()))
    assert fingerprint(visitor) != fingerprint(speaker)


def test_values_of_unknown_kinds_are_refused():
    with pytest.raises(TypeError, match="Cannot fingerprint"):
        fingerprint(forms.Form)
    with pytest.raises(TypeError, match="Cannot fingerprint"):
        fingerprint({"a": 1})


def test_an_instance_carrying_other_rows_is_refused(talk):
    # Its digest would leave those rows out, and the fragment would not change with them.
    question = make_comment(talk)
    make_comment(talk, parent=question)
    prefetched = Comment.objects.prefetch_related("replies").get(pk=question.pk)
    [built] = Comment.objects.thread_page(talk, talk.author, None)

    for carrying in (prefetched, built):
        with pytest.raises(TypeError, match="carrying other rows"):
            fingerprint(carrying)


def test_a_speaker_with_no_name_yet_is_told_apart(db):
    one = make_user("one")
    assert fingerprint(one) != fingerprint(make_user("two"))


def test_one_speaker_shown_on_many_talks_is_in_the_digest(john):
    make_talk(john, title="Second")
    make_talk(john, title="Third")
    talks = list(Talk.objects.by(john))
    before = fingerprint(talks)

    assert {id(talk.author) for talk in talks} == {id(john)}
    john.name = "Johnny"
    assert fingerprint(talks) != before


def test_forms_outside_a_request_are_rendered_and_not_cached():
    from django.core.cache import caches
    from django.template import Context, Template

    fragment = Template(
        "{% load fragments %}{% cache_forms f 1 %}<b>{% csrf_token %}</b>{% endcache_forms %}"
    )

    assert fragment.render(Context({})) == "<b></b>"
    assert caches["template_fragments"]._cache == {}


def test_a_fragment_with_forms_needs_a_name_and_what_it_varies_on():
    from django.template import Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="takes a name and what it varies on"):
        Template("{% load fragments %}{% cache_forms f %}{% endcache_forms %}")
