"""Loading a talks.json (from export_speaker) into this site, once however often it is run.

A talk is the same talk when its author, title and date match; a comment is the same comment
when its talk, name, time and text match. Those are what an export carries and what no two
different talks or comments share in practice, so a second import finds everything there and
adds nothing, and an import after new talks or comments were exported adds just those.
"""

import datetime
import json

from django.db import transaction

from ..embeds import embed_for
from ..markdown import render_markdown
from ..models import Comment, Talk
from . import FORMAT, VERSION

# Imported comments belong to nobody here: this reserved address (RFC 2606) is never mailed,
# and notify is off, so none of them ever hears of a new comment.
IMPORTED_EMAIL = "imported@example.invalid"


class ExportFileError(ValueError):
    """The file is not a talks export this site can read."""


def read(path):
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportFileError(f"Cannot read {path}: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExportFileError(f'{path} is not a talks export (no "format": "{FORMAT}").')
    if document.get("version") != VERSION:
        raise ExportFileError(
            f"{path} is version {document.get('version')}; this site reads {VERSION}."
        )
    return document


def _embed_url(value):
    # Only links this site would accept are kept: another Talks may have known more providers.
    return value if value and embed_for(value) else ""


@transaction.atomic
def import_talks(document, speaker):
    """Add the document's talks and published comments to `speaker`; returns (talks, comments)."""
    added_talks = added_comments = 0
    try:
        for entry in document["talks"]:
            date = datetime.date.fromisoformat(entry["date"])
            title = entry["title"][:128]
            talk = Talk.objects.filter(author=speaker, title=title, date=date).first()
            if talk is None:
                talk = Talk.objects.create(
                    author=speaker,
                    title=title,
                    description=entry.get("description", ""),
                    venue=entry["venue"][:128],
                    venue_url=entry.get("venue_url", "")[:200],
                    date=date,
                    video_url=_embed_url(entry.get("video_url", "")),
                    slides_url=_embed_url(entry.get("slides_url", "")),
                    created_at=datetime.datetime.fromisoformat(entry["created_at"]),
                )
                added_talks += 1
            added_comments += _import_comments(talk, entry.get("comments", []))
    except (KeyError, TypeError, ValueError) as error:
        raise ExportFileError(
            f"The file's talks are not as an export writes them: {error!r}"
        ) from error
    return added_talks, added_comments


def _import_comments(talk, entries):
    there = set(talk.comments.values_list("author_name", "created_at", "body"))
    new = []
    for entry in entries:
        created = datetime.datetime.fromisoformat(entry["created_at"])
        name, body = entry["name"][:64], entry["body"]
        if (name, created, body) in there:
            continue
        there.add((name, created, body))
        # bulk_create: these were published long ago, so no save() and no email to anyone.
        new.append(
            Comment(
                talk=talk,
                talk_author_id=talk.author_id,
                author_name=name,
                author_email=IMPORTED_EMAIL,
                body=body,
                body_html=render_markdown(body),
                created_at=created,
                notify=False,
                approved=True,
            )
        )
    Comment.objects.bulk_create(new)
    return len(new)
