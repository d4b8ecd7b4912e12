"""Demo data at any size: a believable handful for `make run`, millions of rows for `make bench`.

Rows go in through one prepared INSERT per table (`executemany`), in chunks: Django's
`bulk_create` caps SQLite statements at 999 parameters and builds a model instance per row, which
makes a million comments take minutes instead of seconds. Each distinct Markdown body is rendered
once and its HTML reused.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from talks import comments_version
from talks.embeds import normalize_embed
from talks.management.demo_data import (
    ABSTRACTS,
    BODIES,
    DEMO_PASSWORD,
    NAMES,
    SHOWCASE_TITLE,
    SLIDES,
    SPEAKERS,
    TOPICS,
    VENUES,
    VIDEOS,
)
from talks.management.demo_rows import CommentRow, CommentTarget, TalkRow, insert_rows
from talks.markdown import render_markdown
from talks.models import Comment, EmailAddress, Talk, TrustedAddress
from talks.search import index as search_index

# One comment in this many is written by a logged-in speaker rather than a visitor.
SPEAKER_COMMENT_EVERY = 10
# Distinct visitor addresses: a few hundred regulars, as on a real site.
VISITOR_ADDRESSES = 500


class Command(BaseCommand):
    help = _("Fill the database with demo speakers, talks and comments (bulk inserts, any size).")

    def add_arguments(self, parser):
        parser.add_argument("--speakers", type=int, default=len(SPEAKERS))
        parser.add_argument("--talks", type=int, default=40, help=_("The showcase included."))
        parser.add_argument("--comments", type=int, default=240, help=_("The showcase's included."))
        parser.add_argument(
            "--pending", type=float, default=0.1, help=_("Share of comments left unapproved.")
        )
        parser.add_argument(
            "--showcase-approved",
            type=int,
            default=12,
            help=_("Approved comments on the showcase talk (the second speaker's newest)."),
        )
        parser.add_argument(
            "--showcase-pending",
            type=int,
            default=3,
            help=_("Comments waiting on the showcase talk, spread among its published ones."),
        )
        parser.add_argument(
            "--speaker-pending",
            type=int,
            default=0,
            help=_(
                "Comments waiting on the showcase speaker's other talks, the rest of their queue."
            ),
        )
        parser.add_argument(
            "--if-empty", action="store_true", help=_("Do nothing if the database holds talks.")
        )
        parser.add_argument(
            "--seed", type=int, default=2014, help=_("Random seed, for repeatability.")
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Talk.objects.exists():
            self.stdout.write(_("The database already has talks: no demo data added."))
            return
        speakers, talks, comments = (options[name] for name in ("speakers", "talks", "comments"))
        showcase = (options["showcase_approved"], options["showcase_pending"]) if talks else (0, 0)
        speaker_pending = options["speaker_pending"]
        if (
            speakers < 1
            or min(talks, comments, speaker_pending, *showcase) < 0
            or not 0 <= options["pending"] <= 1
        ):
            raise CommandError(
                _(
                    "--speakers must be at least 1, the other counts at least 0, "
                    "and --pending between 0 and 1."
                )
            )
        if comments < sum(showcase) + speaker_pending:
            raise CommandError(
                _("--comments must count the showcase talk's and --speaker-pending's comments too.")
            )
        if comments > sum(showcase) and talks < 2:
            raise CommandError(_("Comments besides the showcase's need at least 2 talks."))
        rng = random.Random(options["seed"])  # noqa: S311 - demo data, not secrets
        # The search index and the talks' comments_version are each brought up to date once at
        # the end, not by triggers per inserted row.
        with transaction.atomic(), search_index.bulk_load(), comments_version.bulk_load():
            users = self.create_speakers(speakers)
            # The showcase speaker's queue holds the showcase's pending comments and
            # --speaker-pending's, no others.
            host = users[1] if len(users) > 1 else users[0]
            rows = self.create_talks(rng, users, max(talks - 1, 0))
            showcase_talk = self.create_showcase(rng, host, users, *showcase) if talks else None
            if showcase_talk:
                self.create_conversation(showcase_talk, host)
            regular = self.create_trusted_commenter(showcase_talk) if showcase_talk else None
            if speaker_pending and not any(author == host.pk for _, author in rows):
                raise CommandError(_("--speaker-pending needs talks by the showcase speaker."))
            self.create_speaker_queue(rng, rows, users, speaker_pending, host)
            self.create_comments(
                rng,
                rows,
                users,
                comments - sum(showcase) - speaker_pending,
                options["pending"],
                host,
            )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum would do soon: statistics for the planner, and the visibility map
            # that lets index-only scans skip the table. Plans then match a live database.
            # (VACUUM cannot run in a transaction, such as a test's.)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            _(
                "Added %(speakers)d speakers, %(talks)d talks and %(comments)d comments. "
                "Log in as %(admin)s (admin) or %(host)s with the password %(password)r."
            )
            % {
                "speakers": speakers,
                "talks": talks,
                "comments": comments,
                "admin": users[0].email,
                "host": host.email,
                "password": DEMO_PASSWORD,
            }
        )
        if showcase_talk:
            self.stdout.write(
                _(
                    "%(username)s's talk %(talk)d has %(published)d comments published "
                    "and %(waiting)d waiting."
                )
                % {
                    "username": host.username,
                    "talk": showcase_talk.pk,
                    "published": showcase[0],
                    "waiting": showcase[1],
                }
            )
        if regular:
            self.stdout.write(
                _("%(username)s trusts %(address)s, whose address is confirmed.")
                % {"username": host.username, "address": regular}
            )
        if speaker_pending:
            self.stdout.write(
                _("%(count)d more wait on %(username)s's other talks.")
                % {"count": speaker_pending, "username": host.username}
            )

    def create_speakers(self, count):
        # Hashing is slow on purpose, so every demo speaker shares one hash.
        password = make_password(DEMO_PASSWORD)
        taken = set(User.objects.values_list("username", flat=True))
        users = []
        for index in range(count):
            speaker = SPEAKERS[index % len(SPEAKERS)]
            username = speaker.username
            if index >= len(SPEAKERS):
                username = f"{username}{index}"
            while username in taken:
                username += "x"
            taken.add(username)
            users.append(
                User(
                    username=username,
                    email=f"{username}@example.com",
                    name=speaker.name,
                    location=speaker.location,
                    bio=speaker.bio,
                    password=password,
                    is_staff=not users,
                    is_superuser=not users,
                )
            )
        return User.objects.bulk_create(users)

    def create_talks(self, rng, users, count):
        """Insert `count` talks; return (id, author_id) of each."""
        videos = [normalize_embed(url) for url in VIDEOS]
        slides = [normalize_embed(url) for url in SLIDES]
        today = datetime.date.today()
        now = timezone.now()
        before = Talk.objects.aggregate(last=models.Max("id"))["last"] or 0

        def rows():
            for index in range(count):
                venue = VENUES[index % len(VENUES)]
                topic = TOPICS[index % len(TOPICS)]
                abstract = ABSTRACTS[index % len(ABSTRACTS)]
                yield TalkRow(
                    author_id=users[index % len(users)].pk,
                    title=topic if index < len(TOPICS) else f"{topic}, part {index}",
                    description=abstract.format(
                        topic=topic, topic_lower=topic.lower(), venue=venue.name
                    ),
                    slides_url=slides[index % len(slides)],
                    video_url=videos[index % len(videos)],
                    venue=venue.name,
                    venue_url=venue.url,
                    # Older than the showcase, which is today's.
                    date=today - datetime.timedelta(days=rng.randrange(1, 3650)),
                    created_at=now,
                    updated_at=now,
                )

        insert_rows(Talk, TalkRow, rows())
        return list(Talk.objects.filter(id__gt=before).order_by("id").values_list("id", "author"))

    def create_showcase(self, rng, host, users, approved, pending):
        """The talk with the most discussion: `approved` comments published, `pending` waiting."""
        venue = VENUES[1]
        talk = Talk.objects.create(
            author=host,
            title=SHOWCASE_TITLE,
            description=ABSTRACTS[0].format(
                topic=SHOWCASE_TITLE, topic_lower=SHOWCASE_TITLE.lower(), venue=venue.name
            ),
            video_url=normalize_embed(VIDEOS[0]),
            slides_url=normalize_embed(SLIDES[0]),
            venue=venue.name,
            venue_url=venue.url,
            date=datetime.date.today(),
        )
        start = timezone.now() - datetime.timedelta(days=2)
        # The waiting ones spread evenly among the published, as when a speaker approves a few
        # at a time: any page of the talk shows both kinds to its speaker.
        total = approved + pending
        states = [(n + 1) * pending // total == n * pending // total for n in range(total)]
        self.insert_comments(
            rng,
            (CommentTarget(talk.pk, host.pk, state) for state in states),
            users,
            start=start,
            step=datetime.timedelta(seconds=60),
        )
        return talk

    def create_conversation(self, talk, host):
        """Make the showcase a conversation out of its comments, their number unchanged: a
        question pinned and answered by its speaker in a reply, a visitor's reply, and one
        waiting. Its video is YouTube's, so the comment naming 12:30 links to that moment."""
        published = list(talk.comments.approved().order_by("created_at", "id"))
        if len(published) < 3:
            return
        question = next((c for c in published if c.body.startswith("Question:")), published[0])
        later = [comment for comment in published if comment.created_at > question.created_at]
        Comment.objects.filter(pk=question.pk).update(pinned=True, answered=True)
        if later:
            # The speaker's answer: written from the speaker's account, which notifies nobody.
            Comment.objects.filter(pk=later[-1].pk).update(
                parent=question, author=host, notify=False
            )
        if len(later) > 1:
            Comment.objects.filter(pk=later[0].pk).update(parent=question)
        waiting = talk.comments.pending().order_by("created_at", "id").first()
        if waiting is not None:
            Comment.objects.filter(pk=waiting.pk).update(parent=question)

    def create_speaker_queue(self, rng, talks, users, count, host):
        """`count` comments waiting on the host's talks other than the showcase, newest last."""
        if not count:
            return
        own = [talk_id for talk_id, author_id in talks if author_id == host.pk]
        self.insert_comments(
            rng,
            (CommentTarget(own[n % len(own)], host.pk, False) for n in range(count)),
            users,
            start=timezone.now() - datetime.timedelta(days=1),
            step=datetime.timedelta(seconds=30),
        )

    def create_trusted_commenter(self, talk):
        """A regular of the showcase talk: address confirmed, trusted by its speaker."""
        regular = (
            talk.comments.approved()
            .filter(author__isnull=True)
            .order_by("created_at", "id")
            .first()
        )
        if regular is None:
            return None
        EmailAddress.objects.confirm(regular.author_email)
        TrustedAddress.objects.create(
            speaker_id=talk.author_id, address=regular.author_email.lower(), from_comment=regular
        )
        return regular.author_email.lower()

    def create_comments(self, rng, talks, users, count, pending, host):
        if not talks or not count:
            return
        # Grouped by talk, so each talk's index entries go in together.
        picks = sorted(rng.randrange(len(talks)) for _ in range(count))

        def targets():
            for pick in picks:
                talk_id, author_id = talks[pick]
                waiting = author_id != host.pk and rng.random() < pending
                yield CommentTarget(talk_id, author_id, approved=not waiting)

        self.insert_comments(
            rng,
            targets(),
            users,
            start=timezone.now() - datetime.timedelta(days=365),
            step=datetime.timedelta(days=365) / count,
        )

    def insert_comments(self, rng, targets, users, *, start, step):
        """Insert comments on `targets` (CommentTargets), one every `step`."""
        rendered = [(body, render_markdown(body)) for body in BODIES]

        def rows():
            for index, target in enumerate(targets):
                body, body_html = rendered[index % len(rendered)]
                common = {
                    "talk_id": target.talk_id,
                    "talk_author_id": target.talk_author_id,
                    "body": body,
                    "body_html": body_html,
                    "created_at": start + step * index,
                    "approved": target.approved,
                }
                if target.approved and index % SPEAKER_COMMENT_EVERY == 0:
                    yield CommentRow(
                        **common,
                        author_id=users[index % len(users)].pk,
                        author_name="",
                        author_email="",
                        notify=False,
                    )
                    continue
                name = NAMES[index % len(NAMES)]
                address = rng.randrange(VISITOR_ADDRESSES)
                yield CommentRow(
                    **common,
                    author_id=None,
                    author_name=name,
                    author_email=f"{name.lower()}{address}@example.org",
                    notify=index % 3 != 0,
                )

        insert_rows(Comment, CommentRow, rows())
