import datetime
import random

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from talks.embeds import normalize_embed
from talks.markdown import render_markdown
from talks.models import Comment, Talk

DEMO_PASSWORD = "talks-demo-password"  # noqa: S105 - printed for the demo's login, never for real use

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


class Command(BaseCommand):
    help = "Fill the database with demo speakers, talks and comments (bulk inserts, any size)."

    def add_arguments(self, parser):
        parser.add_argument("--speakers", type=int, default=len(SPEAKERS))
        parser.add_argument("--talks", type=int, default=40)
        parser.add_argument("--comments", type=int, default=240)
        parser.add_argument(
            "--pending", type=float, default=0.1, help="Share of comments left unapproved."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if the database holds talks."
        )
        parser.add_argument(
            "--seed", type=int, default=2014, help="Random seed, for repeatability."
        )

    def handle(self, *args, speakers, talks, comments, pending, if_empty, seed, **options):
        if if_empty and Talk.objects.exists():
            self.stdout.write("The database already has talks: no demo data added.")
            return
        if speakers < 1 or talks < 0 or comments < 0 or not 0 <= pending <= 1:
            raise CommandError("Counts must be positive and --pending between 0 and 1.")
        rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        with transaction.atomic():
            users = self.create_speakers(speakers)
            talk_ids = self.create_talks(rng, users, talks)
            self.create_comments(rng, talk_ids, comments, pending)
        self.stdout.write(
            f"Added {len(users)} speakers, {talks} talks and {comments} comments. "
            f"Log in as {users[0].email} with the password {DEMO_PASSWORD!r}."
        )

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
                )
            )
        users = User.objects.bulk_create(users, batch_size=1000)
        users[0].is_staff = users[0].is_superuser = True
        users[0].save(update_fields=["is_staff", "is_superuser"])
        return users

    def create_talks(self, rng, users, count):
        videos = [normalize_embed(url) for url in VIDEOS]
        slides = [normalize_embed(url) for url in SLIDES]
        today = datetime.date.today()
        now = timezone.now()
        batch, ids = [], []
        for index in range(count):
            venue, venue_url = VENUES[index % len(VENUES)]
            topic = TOPICS[index % len(TOPICS)]
            batch.append(
                Talk(
                    author=users[index % len(users)],
                    title=f"{topic}" if index < len(TOPICS) else f"{topic}, part {index}",
                    description=f"A talk about {topic.lower()} given at {venue}.",
                    video_url=videos[index % len(videos)],
                    slides_url=slides[index % len(slides)],
                    venue=venue,
                    venue_url=venue_url,
                    date=today - datetime.timedelta(days=rng.randrange(0, 3650)),
                    created_at=now,
                    updated_at=now,
                )
            )
            if len(batch) == 5000:
                ids += [talk.pk for talk in Talk.objects.bulk_create(batch)]
                batch = []
        ids += [talk.pk for talk in Talk.objects.bulk_create(batch)]
        return ids

    def create_comments(self, rng, talk_ids, count, pending):
        if not talk_ids:
            return
        # Rendering is the slow part of a comment: do each distinct body once.
        rendered = [(body, render_markdown(body)) for body in BODIES]
        start = timezone.now() - datetime.timedelta(days=30)
        batch = []
        for index in range(count):
            body, body_html = rendered[index % len(rendered)]
            name = NAMES[index % len(NAMES)]
            batch.append(
                Comment(
                    talk_id=talk_ids[rng.randrange(len(talk_ids))],
                    author_name=name,
                    author_email=f"{name.lower()}{index % 50}@example.org",
                    body=body,
                    body_html=body_html,
                    created_at=start + datetime.timedelta(seconds=index * 2),
                    notify=index % 3 != 0,
                    approved=rng.random() >= pending,
                )
            )
            if len(batch) == 10000:
                Comment.objects.bulk_create(batch)
                batch = []
        Comment.objects.bulk_create(batch)
