"""Moments: times and slide numbers in a comment link into the talk's own video and slides."""

import pytest
from django.urls import reverse

from conftest import make_comment, make_talk
from talks.markdown import render_markdown
from talks.moments import link_moments, moment_targets

YOUTUBE = "https://www.youtube.com/watch?v=DJtef410XaM"
VIMEO = "https://vimeo.com/76979871"
DECK = "https://speakerdeck.com/player/31ab60bc1dd6446b8aa0f5d8e8e5e8e5"


def rendered(body, talk):
    return link_moments(render_markdown(body), moment_targets(talk))


@pytest.fixture
def youtube_talk(john):
    return make_talk(john, video_url=YOUTUBE, slides_url=DECK)


@pytest.fixture
def vimeo_talk(john):
    return make_talk(john, video_url=VIMEO)


def yt(seconds, text):
    return f'<a class="moment" href="{YOUTUBE}&amp;t={seconds}s" data-seek="{seconds}">{text}</a>'


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("at 12:34 it cuts", f"<p>at {yt(754, '12:34')} it cuts</p>"),
        ("from 1:02:03.", f"<p>from {yt(3723, '1:02:03')}.</p>"),
        ("see [0:05] and (9:59)", f"<p>see [{yt(5, '0:05')}] and ({yt(599, '9:59')})</p>"),
        ("23:59:59 is the end", f"<p>{yt(86399, '23:59:59')} is the end</p>"),
    ],
)
def test_times_become_links_to_that_moment_on_youtube(youtube_talk, body, html):
    assert rendered(body, youtube_talk) == html


def test_a_vimeo_time_links_with_its_fragment(vimeo_talk):
    assert rendered("at 12:34", vimeo_talk) == (
        f'<p>at <a class="moment" href="{VIMEO}#t=754s" data-seek="754">12:34</a></p>'
    )


@pytest.mark.parametrize(
    "body",
    [
        "12:60",
        "1:2",
        "1:2:03",
        "24:00:00",
        "99:00:00",
        "1:60:00",
        "1:2:3:4",
        "12:34:56:78",
        "v1.12:30",
        "12:345",
        "ratio 16:9",
        "javascript:12:34",
        "3,12:30",
    ],
)
def test_malformed_or_implausible_times_stay_text(youtube_talk, body):
    assert rendered(body, youtube_talk) == render_markdown(body)


def test_a_time_on_a_talk_without_a_seekable_video_stays_text(john):
    for video in ("", "https://speakerdeck.com/player/31ab60bc1dd6446b8aa0f5d8e8e5e8e5"):
        talk = make_talk(john, video_url=video)
        assert rendered("at 12:34 and slide 3", talk) == "<p>at 12:34 and slide 3</p>"


def test_a_slide_number_links_to_that_slide_on_speaker_deck(youtube_talk):
    assert rendered("Slide 7 and slide 0", youtube_talk) == (
        f'<p><a class="moment" href="{DECK}?slide=7" data-slide="7">Slide 7</a> and slide 0</p>'
    )


@pytest.mark.parametrize(
    "body",
    [
        "[at 12:34](https://evil.example/x)",  # a time inside a commenter's link
        "`12:34`",  # inside code
        "    code 12:34\n",  # inside a code block
        "https://evil.example/12:34",  # inside a linkified URL
        '<a href="javascript:alert(1)">12:34</a>',  # stripped to text by the sanitiser...
        "[12:34](javascript:alert(1))",
        "<code>slide 4</code>",
    ],
)
def test_moments_never_make_a_link_that_is_not_ours(youtube_talk, body):
    html = rendered(body, youtube_talk)

    # Inside links and code nothing is linked: the HTML is the sanitiser's, unchanged.
    assert html == render_markdown(body)
    assert 'href="javascript' not in html


def test_a_time_next_to_a_javascript_url_links_only_our_url(youtube_talk):
    html = rendered("javascript:alert(1) 12:34 <script>x</script>", youtube_talk)

    assert html == (f"<p>javascript:alert(1) {yt(754, '12:34')} x</p>")


def test_text_with_markup_around_moments_is_kept_as_it_was(youtube_talk):
    body = '**1:00** &amp; <em>2:00</em> & 3 < 4 > 2 "quoted"'
    html = rendered(body, youtube_talk)

    assert html == (
        f"<p><strong>{yt(60, '1:00')}</strong> &amp; <em>{yt(120, '2:00')}</em> "
        '&amp; 3 &lt; 4 &gt; 2 "quoted"</p>'
    )


def test_old_comments_show_moments_on_the_page_and_follow_a_new_video(client, john):
    talk = make_talk(john)
    make_comment(talk, body="The demo at 12:34")
    assert "data-seek" not in client.get(talk.get_absolute_url()).content.decode()

    talk.video_url = YOUTUBE
    talk.save()

    page = client.get(talk.get_absolute_url()).content.decode()
    assert yt(754, "12:34") in page
    talk.video_url = VIMEO
    talk.save()
    page = client.get(talk.get_absolute_url()).content.decode()
    assert f'href="{VIMEO}#t=754s" data-seek="754"' in page


def test_the_talks_preview_shows_moments(client, youtube_talk):
    url = reverse("talks:talk_comment_preview", args=[youtube_talk.pk])

    response = client.post(url, {"body": "at 1:00"})

    assert response.json() == {"html": f"<p>at {yt(60, '1:00')}</p>"}
