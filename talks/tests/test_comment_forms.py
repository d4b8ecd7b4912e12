import re

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from talks.forms import CommentForm, CommentPreviewForm
from talks.models import Comment

VISITOR = {
    "author_name": "Ann",
    "author_email": "ann@example.org",
    "body": "Great *talk*",
    "notify": "on",
}


def visitor_form(talk, **data):
    return CommentForm({**VISITOR, **data}, talk=talk, user=AnonymousUser())


def test_a_visitor_gives_name_email_comment_and_notify(talk):
    form = CommentForm(talk=talk, user=AnonymousUser())

    assert list(form.fields) == [
        "author_name",
        "author_email",
        "body",
        "notify",
        "website",
        "parent",
    ]
    assert [form.fields[name].label for name in ("author_name", "author_email", "body")] == [
        "Name",
        "Email",
        "Comment",
    ]


def test_notify_me_is_checked_by_default(talk):
    form = CommentForm(talk=talk, user=AnonymousUser())

    assert form["notify"].initial is True
    assert " checked" in str(form["notify"])


def test_a_logged_in_user_gives_only_the_comment(talk, david):
    form = CommentForm(talk=talk, user=david)

    assert list(form.fields) == ["body", "parent"]


def test_a_visitor_must_give_name_email_and_comment(talk):
    form = visitor_form(talk, author_name="", author_email="", body="")

    assert form.errors == {
        "author_name": ["This field is required."],
        "author_email": ["This field is required."],
        "body": ["This field is required."],
    }


def test_a_comment_of_only_spaces_is_empty(talk):
    form = visitor_form(talk, body="   \n  ")

    assert form.errors == {"body": ["This field is required."]}


def test_the_email_must_be_valid(talk):
    form = visitor_form(talk, author_email="not an address")

    assert form.errors == {"author_email": ["Enter a valid email address."]}


def test_name_and_email_hold_at_most_64_characters(talk):
    ok = visitor_form(talk, author_name="n" * 64, author_email="e" * 52 + "@example.org")
    too_long = visitor_form(talk, author_name="n" * 65, author_email="e" * 53 + "@example.org")

    assert ok.is_valid()
    assert too_long.errors == {
        "author_name": ["Ensure this value has at most 64 characters (it has 65)."],
        "author_email": ["Ensure this value has at most 64 characters (it has 65)."],
    }


def test_a_comment_holds_at_most_10000_characters(talk, david):
    ok = CommentForm({"body": "x" * 10_000}, talk=talk, user=david)
    too_long = CommentForm({"body": "x" * 10_001}, talk=talk, user=david)

    assert ok.is_valid()
    assert too_long.errors == {
        "body": ["A comment can be at most 10,000 characters (this one has 10001)."]
    }


def test_the_honeypot_is_hidden_from_people_and_out_of_the_tab_order(talk):
    form = CommentForm(talk=talk, user=AnonymousUser())
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))

    wrapper = re.search(
        r'<div\s+class="hp-field"\s+aria-hidden="true">(.*?)</div>\s*</div>', html, re.S
    )
    assert wrapper is not None
    assert re.search(
        r'<input type="text" name="website" tabindex="-1" autocomplete="off"', wrapper[1]
    )
    assert html.count('name="website"') == 1


def test_a_filled_honeypot_marks_the_post_as_spam(talk):
    spam = visitor_form(talk, website="http://spam.example")
    person = visitor_form(talk, website="")

    assert (spam.is_valid(), spam.is_spam) == (True, True)
    assert (person.is_valid(), person.is_spam) == (True, False)


def test_saving_a_visitor_form_stores_a_waiting_comment(talk):
    form = visitor_form(talk)
    assert form.is_valid()

    comment = form.save()

    stored = Comment.objects.get()
    assert stored == comment
    assert (stored.talk, stored.author, stored.author_name, stored.author_email) == (
        talk,
        None,
        "Ann",
        "ann@example.org",
    )
    assert (stored.body_html, stored.notify, stored.approved) == (
        "<p>Great <em>talk</em></p>",
        True,
        False,
    )


def test_a_visitor_may_turn_notify_off(talk):
    form = CommentForm({**VISITOR, "notify": ""}, talk=talk, user=AnonymousUser())
    assert form.is_valid()

    assert form.save().notify is False


def test_saving_a_users_form_publishes_the_comment_and_subscribes_its_author(talk, david):
    form = CommentForm({"body": "Thanks"}, talk=talk, user=david)
    assert form.is_valid()

    comment = Comment.objects.get(pk=form.save().pk)

    assert (comment.author, comment.author_name, comment.author_email) == (david, "", "")
    assert (comment.approved, comment.notify) == (True, True)


def test_the_preview_form_keeps_the_text_as_typed_and_allows_it_empty():
    form = CommentPreviewForm({"body": "  *a*  "})

    assert form.is_valid()
    assert form.cleaned_data == {"body": "  *a*  "}
    assert CommentPreviewForm({}).is_valid()


def test_the_preview_form_refuses_more_than_10000_characters():
    form = CommentPreviewForm({"body": "x" * 10_001})

    assert form.errors == {
        "body": ["A comment can be at most 10,000 characters (this one has 10001)."]
    }
