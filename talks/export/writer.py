"""Writing a speaker's talks.json and a static copy of their pages."""

import json
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import Comment, Talk
from . import FORMAT, VERSION

PROGRESS_EVERY = 100  # talks between two progress lines


def _comment(comment):
    return {
        "name": comment.display_name,
        "body": comment.body,
        "created_at": comment.created_at.isoformat(),
    }


def _talk(talk, comments):
    return {
        "id": talk.pk,
        "title": talk.title,
        "description": talk.description,
        "venue": talk.venue,
        "venue_url": talk.venue_url,
        "date": talk.date.isoformat(),
        "video_url": talk.video_url,
        "slides_url": talk.slides_url,
        "created_at": talk.created_at.isoformat(),
        "comments": [_comment(comment) for comment in comments],
    }


def talk_page_name(talk):
    return f"talk-{talk.pk}.html"


def export_speaker(speaker, directory, progress=None):
    """Write `directory`/talks.json and the static site; `progress(done, total)` now and then."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    talks = list(Talk.objects.by(speaker))
    exported = []
    for done, talk in enumerate(talks, start=1):
        # Published comments only, oldest first; their authors' names, never their addresses.
        comments = list(
            Comment.objects.approved()
            .filter(talk=talk)
            .select_related("author")
            .order_by("created_at", "id")
        )
        exported.append(_talk(talk, comments))
        (directory / talk_page_name(talk)).write_text(
            render_to_string(
                "export/talk.html", {"speaker": speaker, "talk": talk, "comments": comments}
            ),
            encoding="utf-8",
        )
        if progress and (done % PROGRESS_EVERY == 0 or done == len(talks)):
            progress(done, len(talks))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "source": settings.SITE_URL,
        "exported_at": timezone.now().isoformat(),
        "speaker": {
            "username": speaker.username,
            "name": speaker.name,
            "location": speaker.location,
            "bio": speaker.bio,
        },
        "talks": exported,
    }
    (directory / "talks.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (directory / "index.html").write_text(
        render_to_string(
            "export/index.html",
            {"speaker": speaker, "talks": [(talk, talk_page_name(talk)) for talk in talks]},
        ),
        encoding="utf-8",
    )
    shutil.copyfile(finders.find("css/export.css"), directory / "style.css")
    return len(talks)
