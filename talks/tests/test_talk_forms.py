import datetime

import pytest
from django.utils.html import escape
from pytest_django.asserts import assertInHTML

from talks.embeds import _UNSUPPORTED_MESSAGE as UNSUPPORTED
from talks.forms import TalkForm
from talks.models import Talk

VALID = {
    "title": "Flask by Example",
    "description": "Learn Flask",
    "slides_url": "",
    "video_url": "",
    "venue": "PyCon",
    "venue_url": "",
    "date": "2014-04-11",
}
NUL_ERROR = ["Null characters are not allowed."]


def form_with(**changes):
    return TalkForm(data={**VALID, **changes})


def test_a_talk_needs_only_title_venue_and_date():
    form = form_with(description="")

    assert form.is_valid() is True, form.errors
    assert form.cleaned_data == {
        **VALID,
        "description": "",
        "date": datetime.date(2014, 4, 11),
        "comments_open": False,  # a box left unticked
    }


def test_title_venue_and_date_are_required():
    form = form_with(title="", venue="  ", date="")

    assert form.errors == {
        "title": ["This field is required."],
        "venue": ["This field is required."],
        "date": ["This field is required."],
    }


def test_title_and_venue_are_at_most_128_characters():
    assert form_with(title="t" * 128, venue="v" * 128).is_valid() is True
    assert form_with(title="t" * 129, venue="v" * 129).errors == {
        "title": ["Ensure this value has at most 128 characters (it has 129)."],
        "venue": ["Ensure this value has at most 128 characters (it has 129)."],
    }


@pytest.mark.parametrize(
    "value", ["not a url", "javascript:alert(1)", "http://", "https://exa mple.com/"]
)
def test_the_venue_url_must_be_a_web_address(value):
    assert form_with(venue_url=value).errors == {"venue_url": ["Enter a valid URL."]}


def test_a_venue_url_without_a_scheme_is_read_as_https():
    form = form_with(venue_url="us.pycon.org/2014/")

    assert form.is_valid() is True
    assert form.cleaned_data["venue_url"] == "https://us.pycon.org/2014/"


@pytest.mark.parametrize("value", ["2014-13-01", "11/04/2014x", "tomorrow", "99999-01-01"])
def test_the_date_must_be_a_date(value):
    assert form_with(date=value).errors == {"date": ["Enter a valid date."]}


@pytest.mark.parametrize("field", ["title", "description", "venue", "slides_url", "video_url"])
def test_a_nul_byte_in_a_text_field_is_a_form_error(field):
    assert form_with(**{field: "a\x00b"}).errors == {field: NUL_ERROR}


def test_a_nul_byte_in_the_venue_url_or_date_is_a_form_error():
    assert form_with(venue_url="https://a.example/\x00").errors == {"venue_url": NUL_ERROR}
    assert form_with(date="2014-04-11\x00").errors == {"date": ["Enter a valid date."]}


def test_a_pasted_link_is_stored_as_the_providers_canonical_link():
    form = form_with(
        video_url="https://youtu.be/dQw4w9WgXcQ?t=42",
        slides_url=" https://noti.st/akrabat/3fdyeY/embed ",
    )

    assert form.is_valid() is True
    assert (form.cleaned_data["video_url"], form.cleaned_data["slides_url"]) == (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://noti.st/akrabat/3fdyeY",
    )


def test_pasted_iframe_code_keeps_only_its_source():
    code = (
        '<iframe width="560" height="315" onload="alert(1)" '
        'src="https://www.youtube.com/embed/dQw4w9WgXcQ" allowfullscreen></iframe>'
    )

    form = form_with(video_url=code)

    assert form.is_valid() is True
    assert form.cleaned_data["video_url"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        '<script>alert("x")</script>',
        '<iframe src="javascript:alert(1)"></iframe>',
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    ],
)
def test_an_unknown_embed_is_refused_with_the_list_of_accepted_ones(value):
    form = form_with(video_url=value, slides_url=value)

    assert form.errors == {
        "video_url": [str(UNSUPPORTED)],
        "slides_url": [str(UNSUPPORTED)],
    }


def test_an_embed_longer_than_2000_characters_is_refused():
    form = form_with(video_url="https://youtu.be/dQw4w9WgXcQ?" + "x" * 2000)

    assert form.errors == {
        "video_url": ["Ensure this value has at most 2000 characters (it has 2029)."]
    }


# Through the views: what the speaker sees, and what is (not) stored.


def test_a_refused_embed_shows_its_message_and_stores_no_talk(john_client):
    pasted = '<img src=x onerror="alert(1)">'

    response = john_client.post("/talk/new/", {**VALID, "video_url": pasted})

    assert response.status_code == 200
    assert response.context["form"].errors == {"video_url": [str(UNSUPPORTED)]}
    content = response.content.decode()
    assert escape(str(UNSUPPORTED)) in content
    # What was pasted comes back for correction, as text.
    assert f"\n{escape(pasted)}</textarea>" in content
    assert pasted not in content
    assert Talk.objects.exists() is False


def test_a_refused_embed_leaves_the_edited_talk_as_it_was(john_client, talk):
    talk.video_url = "https://vimeo.com/76979871"
    talk.save()

    response = john_client.post(
        f"/talk/{talk.pk}/edit/",
        {**VALID, "title": "Changed", "video_url": "https://evil.example/video.mp4"},
    )

    assert response.status_code == 200
    assert escape(str(UNSUPPORTED)) in response.content.decode()
    talk.refresh_from_db()
    assert (talk.title, talk.video_url) == ("Flask by Example", "https://vimeo.com/76979871")


def test_nul_bytes_posted_to_the_talk_form_are_errors_not_a_crash(john_client):
    response = john_client.post("/talk/new/", {key: f"{value}\x00" for key, value in VALID.items()})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": NUL_ERROR,
        "description": NUL_ERROR,
        "slides_url": NUL_ERROR,
        "video_url": NUL_ERROR,
        "venue": NUL_ERROR,
        "venue_url": ["Enter a valid URL.", *NUL_ERROR],
        "date": ["Enter a valid date."],
    }
    assert Talk.objects.exists() is False


def test_the_talk_form_is_rendered_by_crispy_bootstrap5_with_its_errors(john_client):
    response = john_client.post("/talk/new/", {**VALID, "title": ""})

    content = response.content.decode()
    assert '<div id="div_id_title" class="mb-3">' in content
    assert 'class="textinput form-control is-invalid"' in content
    assertInHTML("<strong>This field is required.</strong>", content)
    assert 'type="date"' in content
