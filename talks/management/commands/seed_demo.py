"""Demo data at any size: a believable handful for `make run`, millions of rows for `make bench`.

Rows go in through one prepared INSERT per table (`executemany`), in chunks: Django's
`bulk_create` caps SQLite statements at 999 parameters and builds a model instance per row, which
makes a million comments take minutes instead of seconds. Each distinct Markdown body is rendered
once and its HTML reused.
"""

import datetime
import itertools
import random

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from talks.embeds import normalize_embed
from talks.markdown import render_markdown
from talks.models import Comment, EmailAddress, Talk, TrustedAddress

DEMO_PASSWORD = "talks-demo-password"  # noqa: S105 - printed for the demo's login, never for real use

# The talk with the most discussion: the benchmark finds it by this title.
SHOWCASE_TITLE = "Keeping Django fast at any size"

SPEAKERS = [
    ("ada", "Ada Lovelace", "London, UK", "Writes programs for engines that do not exist yet."),
    ("grace", "Grace Hopper", "Arlington, VA", "Compilers, COBOL, and nanoseconds on a string."),
    ("alan", "Alan Turing", "Manchester, UK", "Computability, morphogenesis and long runs."),
    ("katherine", "Katherine Johnson", "Hampton, VA", "Orbital mechanics by hand and by machine."),
    (
        "edsger",
        "Edsger Dijkstra",
        "Austin, TX",
        "Shortest paths, semaphores and handwritten notes.",
    ),
    (
        "barbara",
        "Barbara Liskov",
        "Cambridge, MA",
        "Abstraction, substitution and distributed systems.",
    ),
]
TOPICS = [
    "Django at scale",
    "Testing without mocks",
    "Async Python in practice",
    "Postgres indexes explained",
    "Accessible forms",
    "Writing a tiny compiler",
    "Caching without tears",
    "Type hints in large codebases",
    "Shipping on a Friday",
    "Observability for small teams",
    "Search with trigrams",
    "Designing a public API",
    "The art of the code review",
    "Background jobs that never lose work",
    "Security headers you should send",
]
# Abstracts of the length real ones have, so that listings render what they would in production.
ABSTRACTS = [
    "{topic} sounds simple until the first real project. This talk walks through what we "
    "learned shipping it at {venue}: the mistakes that cost us a weekend, the patterns that "
    "survived two rewrites, and the small tools that made the difference. You will leave with "
    "a checklist you can apply on Monday morning, and a few stories to tell your team.",
    "A practical introduction to {topic_lower}. We start from a working example, break it in "
    "the ways production breaks things, and fix it one step at a time. No prior experience is "
    "needed; bring a laptop if you want to follow along.",
    "Why is {topic_lower} still hard in 2024? We look at three real codebases, measure where "
    "the time goes, and compare the options honestly, including the boring one that usually "
    "wins. Slides, code and the benchmark data are linked below.",
    "Given at {venue}. {topic}: what the documentation does not tell you, what the error "
    "messages mean, and how to keep the whole thing understandable for the next person.",
]
VENUES = [
    ("PyCon US", "https://us.pycon.org/"),
    ("DjangoCon Europe", "https://djangocon.eu/"),
    ("EuroPython", "https://europython.eu/"),
    ("PyData London", ""),
    ("Local Python meetup", ""),
]
VIDEOS = [
    "https://www.youtube.com/watch?v=DJtef410XaM",
    "https://vimeo.com/76979871",
    "",
]
SLIDES = [
    "https://speakerdeck.com/player/c3e2b1c05f8a4c1b8d2c4bd4f5b5d3f1",
    "https://docs.google.com/presentation/d/1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ/edit",
    "",
]
NAMES = ["Sam", "Priya", "Jonas", "Mei", "Carlos", "Fatima", "Olu", "Ines", "Tomasz", "Yuki"]
BODIES = [
    "Great talk, thanks! The part about **indexes** finally made it click for me.",
    "Do you have the code from the demo somewhere? I would love to try it.",
    "I tried this at work and it cut our page time in half.\n\n    EXPLAIN ANALYZE SELECT ...",
    "Slides are here too: https://example.com/slides (for those who asked).",
    "Question: how does this compare to *the approach from last year*?",
    "> Tests should fail for one reason\n\nThis is the best advice of the whole conference.",
    "Loved it. A few notes:\n\n1. the audio cut out at 12:30\n2. the slides are great",
    "Could you share the benchmark numbers for the bigger dataset?",
    "This deserves more views. Sharing with my team.",
    "The live demo was brave and it worked. Respect!",
]
# One comment in this many is written by a logged-in speaker rather than a visitor.
SPEAKER_COMMENT_EVERY = 10
# Distinct visitor addresses: a few hundred regulars, as on a real site.
VISITOR_ADDRESSES = 500
CHUNK = 20_000


def insert_rows(model, field_names, rows):
    """Insert `rows` (tuples in `field_names` order) in bulk: COPY on PostgreSQL, else INSERT."""
    fields = [model._meta.get_field(name) for name in field_names]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg adapts dates and booleans itself; COPY is one stream, not a row per trip.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names come from the model's metadata
        # Dates and datetimes need the backend's adaptation (SQLite stores them as UTC text).
        temporal = (models.DateField, models.TimeField)
        adapt = [i for i, field in enumerate(fields) if isinstance(field, temporal)]
        for chunk in _batched(rows):
            if adapt:
                chunk = [_adapted(row, fields, adapt) for row in chunk]
            cursor.executemany(sql, chunk)


def _batched(rows):
    iterator = iter(rows)
    while chunk := tuple(itertools.islice(iterator, CHUNK)):
        yield chunk


def _adapted(row, fields, indexes):
    row = list(row)
    for i in indexes:
        row[i] = fields[i].get_db_prep_save(row[i], connection)
    return row


class Command(BaseCommand):
    help = "Fill the database with demo speakers, talks and comments (bulk inserts, any size)."

    def add_arguments(self, parser):
        parser.add_argument("--speakers", type=int, default=len(SPEAKERS))
        parser.add_argument("--talks", type=int, default=40, help="The showcase included.")
        parser.add_argument("--comments", type=int, default=240, help="The showcase's included.")
        parser.add_argument(
            "--pending", type=float, default=0.1, help="Share of comments left unapproved."
        )
        parser.add_argument(
            "--showcase-approved",
            type=int,
            default=12,
            help="Approved comments on the showcase talk (the second speaker's newest).",
        )
        parser.add_argument(
            "--showcase-pending",
            type=int,
            default=3,
            help="Comments waiting on the showcase talk: its speaker's whole moderation queue.",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the database holds talks."
        )
        parser.add_argument(
            "--seed", type=int, default=2014, help="Random seed, for repeatability."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Talk.objects.exists():
            self.stdout.write("The database already has talks: no demo data added.")
            return
        speakers, talks, comments = (options[name] for name in ("speakers", "talks", "comments"))
        showcase = (options["showcase_approved"], options["showcase_pending"]) if talks else (0, 0)
        if speakers < 1 or min(talks, comments, *showcase) < 0 or not 0 <= options["pending"] <= 1:
            raise CommandError(
                "--speakers must be at least 1, the other counts at least 0, "
                "and --pending between 0 and 1."
            )
        if comments < sum(showcase):
            raise CommandError("--comments must count the showcase talk's comments too.")
        if comments > sum(showcase) and talks < 2:
            raise CommandError("Comments besides the showcase's need at least 2 talks.")
        rng = random.Random(options["seed"])  # noqa: S311 - demo data, not secrets
        with transaction.atomic():
            users = self.create_speakers(speakers)
            # The showcase speaker's queue holds only the showcase's pending comments.
            host = users[1] if len(users) > 1 else users[0]
            rows = self.create_talks(rng, users, max(talks - 1, 0))
            showcase_talk = self.create_showcase(rng, host, users, *showcase) if talks else None
            regular = self.create_trusted_commenter(showcase_talk) if showcase_talk else None
            self.create_comments(
                rng, rows, users, comments - sum(showcase), options["pending"], host
            )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum would do soon: statistics for the planner, and the visibility map
            # that lets index-only scans skip the table. Plans then match a live database.
            # (VACUUM cannot run in a transaction, such as a test's.)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"Added {speakers} speakers, {talks} talks and {comments} comments. "
            f"Log in as {users[0].email} (admin) or {host.email} with the password "
            f"{DEMO_PASSWORD!r}."
        )
        if showcase_talk:
            self.stdout.write(
                f"{host.username}'s talk {showcase_talk.pk} has {showcase[0]} comments published "
                f"and {showcase[1]} waiting."
            )
        if regular:
            self.stdout.write(f"{host.username} trusts {regular}, whose address is confirmed.")

    def create_speakers(self, count):
        # Hashing is slow on purpose, so every demo speaker shares one hash.
        password = make_password(DEMO_PASSWORD)
        taken = set(User.objects.values_list("username", flat=True))
        users = []
        for index in range(count):
            username, name, location, bio = SPEAKERS[index % len(SPEAKERS)]
            if index >= len(SPEAKERS):
                username = f"{username}{index}"
            while username in taken:
                username += "x"
            taken.add(username)
            users.append(
                User(
                    username=username,
                    email=f"{username}@example.com",
                    name=name,
                    location=location,
                    bio=bio,
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
                venue, venue_url = VENUES[index % len(VENUES)]
                topic = TOPICS[index % len(TOPICS)]
                abstract = ABSTRACTS[index % len(ABSTRACTS)]
                yield (
                    users[index % len(users)].pk,
                    topic if index < len(TOPICS) else f"{topic}, part {index}",
                    abstract.format(topic=topic, topic_lower=topic.lower(), venue=venue),
                    slides[index % len(slides)],
                    videos[index % len(videos)],
                    venue,
                    venue_url,
                    # Older than the showcase, which is today's.
                    today - datetime.timedelta(days=rng.randrange(1, 3650)),
                    now,
                    now,
                )

        fields = [
            "author",
            "title",
            "description",
            "slides_url",
            "video_url",
            "venue",
            "venue_url",
            "date",
            "created_at",
            "updated_at",
        ]
        insert_rows(Talk, fields, rows())
        return list(Talk.objects.filter(id__gt=before).order_by("id").values_list("id", "author"))

    def create_showcase(self, rng, host, users, approved, pending):
        """The talk with the most discussion: `approved` comments published, `pending` waiting."""
        talk = Talk.objects.create(
            author=host,
            title=SHOWCASE_TITLE,
            description=ABSTRACTS[0].format(
                topic=SHOWCASE_TITLE, topic_lower=SHOWCASE_TITLE.lower(), venue="DjangoCon Europe"
            ),
            video_url=normalize_embed(VIDEOS[0]),
            slides_url=normalize_embed(SLIDES[0]),
            venue="DjangoCon Europe",
            venue_url="https://djangocon.eu/",
            date=datetime.date.today(),
        )
        start = timezone.now() - datetime.timedelta(days=2)
        # Waiting comments are the newest: they came in since the speaker last looked.
        states = [True] * approved + [False] * pending
        self.insert_comments(
            rng,
            ((talk.pk, host.pk, state) for state in states),
            users,
            start=start,
            step=datetime.timedelta(seconds=60),
        )
        return talk

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
                yield talk_id, author_id, not waiting

        self.insert_comments(
            rng,
            targets(),
            users,
            start=timezone.now() - datetime.timedelta(days=365),
            step=datetime.timedelta(days=365) / count,
        )

    def insert_comments(self, rng, targets, users, *, start, step):
        """Insert comments on `targets` ((talk id, its author's id, approved)), one every `step`."""
        rendered = [(body, render_markdown(body)) for body in BODIES]

        def rows():
            for index, (talk_id, talk_author, approved) in enumerate(targets):
                body, body_html = rendered[index % len(rendered)]
                created_at = start + step * index
                if approved and index % SPEAKER_COMMENT_EVERY == 0:
                    author = users[index % len(users)].pk
                    yield (
                        talk_id,
                        talk_author,
                        author,
                        "",
                        "",
                        body,
                        body_html,
                        created_at,
                        False,
                        True,
                    )
                    continue
                name = NAMES[index % len(NAMES)]
                address = rng.randrange(VISITOR_ADDRESSES)
                email = f"{name.lower()}{address}@example.org"
                notify = index % 3 != 0
                yield (
                    talk_id,
                    talk_author,
                    None,
                    name,
                    email,
                    body,
                    body_html,
                    created_at,
                    notify,
                    approved,
                )

        fields = [
            "talk",
            "talk_author",
            "author",
            "author_name",
            "author_email",
            "body",
            "body_html",
            "created_at",
            "notify",
            "approved",
        ]
        insert_rows(Comment, fields, rows())
