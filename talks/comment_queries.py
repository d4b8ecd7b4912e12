"""Which comments a page reads, in which order, and who may read them (imported by
talks.comments, whose manager is CommentManager)."""

from dataclasses import dataclass, replace
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.db.models.lookups import In

from .addresses import EmailAddress
from .pagination import paginate
from .prepared import built_once
from .rows import Rows

THREAD_ORDER = ("-pinned", "created_at", "id")
# The columns a talk page shows of a comment (templates/talks/_comment.html): not the Markdown
# source, nor who asked for news in which language; of its author, what names and links to them.
THREAD_FIELDS = (
    "id",
    "talk_id",
    "author_id",
    "talk_author_id",
    "author_name",
    "author_email",
    "body_html",
    "created_at",
    "approved",
    "parent_id",
    "pinned",
    "answered",
    "author__id",
    "author__username",
    "author__name",
)
# The columns a moderation queue reads (templates/talks/_comment.html with show_talk): a talk
# page's, and of each comment's talk and parent what links to them. The talks' descriptions
# alone were a quarter of the queue's query.
QUEUE_FIELDS = (
    *THREAD_FIELDS,
    "talk__id",
    "talk__title",
    "talk__video_url",
    "talk__slides_url",
    "parent__id",
    "parent__author_id",
    "parent__author_name",
    "parent__author__id",
    "parent__author__username",
    "parent__author__name",
)


@built_once
def _subscriber_rows(model):
    # Built once (talks/prepared.py): its two subqueries cost 1 ms to build, every approval.
    return (
        model._default_manager.subscribed()
        .from_confirmed_addresses()
        .order_by("created_at", "id")
        .values_list(
            "author_email",
            "author_name",
            "language",
            "author__email",
            "author__name",
            "author__username",
            "author__language",
        )
    )


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved=True)

    def pending(self):
        return self.filter(approved=False)

    def thread(self, talk, user):
        """A talk's top-level comments as `user` may see them: the pinned comment first, then
        the rest oldest first."""
        comments = self.filter(talk=talk, parent__isnull=True).order_by(*THREAD_ORDER)
        return comments if talk.can_be_managed_by(user) else comments.approved()

    def replies_shown(self, talk, user, ids):
        """The replies to the talk's comments `ids` that `user` may see, oldest first."""
        # In() of the column itself: a foreign key's own __in lookup checks each id for a model
        # instance, which for a page's hundred ids cost a fifth of the replies' query.
        replies = self.filter(In(F("parent_id"), ids)).order_by("created_at", "id")
        return replies if talk.can_be_managed_by(user) else replies.approved()

    def answerable(self, talk, raw_id):
        """The comment of `talk` with id `raw_id` (as posted) if a reply may answer it: a
        published one. None for anything else, ids that are not numbers included."""
        if not (isinstance(raw_id, str) and raw_id.isascii() and raw_id.isdigit()):
            return None
        if len(raw_id) > 18:  # beyond a 64-bit id: no such comment
            return None
        return (
            self.approved()
            .filter(talk=talk, pk=int(raw_id))
            .select_related("author", "parent")
            .first()
        )

    def unanswered(self):
        """Top-level comments not marked answered, leaving out the talk's author's own."""
        return self.filter(parent__isnull=True, answered=False).filter(
            Q(author__isnull=True) | ~Q(author=F("talk_author"))
        )

    def pending_for(self, user):
        """Comments waiting on the talks `user` wrote, oldest first."""
        return self.pending_on_all_talks().filter(talk_author=user)

    def pending_on_all_talks(self):
        """Every waiting comment, oldest first: the admins' moderation queue."""
        return self.pending().order_by("created_at", "id")

    def pending_counts(self, user):
        """Comments waiting on `user`'s talks ("mine") and, for an admin, on all talks ("all")."""
        pending = self.pending()
        if not user.is_staff:
            return {"mine": pending.filter(talk_author=user).count(), "all": None}
        return pending.aggregate(mine=Count("pk", filter=Q(talk_author=user)), all=Count("pk"))

    def up_to(self, comment):
        """The comments of this thread shown no later than `comment`, a top-level one: the
        pinned comment, then the others up to it in THREAD_ORDER."""
        if comment.pinned:
            return self.filter(pk=comment.pk)
        earlier = Q(created_at__lt=comment.created_at)
        return self.filter(
            Q(pinned=True) | earlier | Q(created_at=comment.created_at, pk__lte=comment.pk)
        )

    def subscribed(self):
        """Comments whose author asked to hear of new ones; only a published one subscribes."""
        return self.approved().filter(notify=True)

    def from_confirmed_addresses(self):
        """Comments whose author's address is proven: a user's, or a visitor's confirmed one."""
        from django.contrib.auth import get_user_model

        address = Lower(OuterRef("author_email"))
        confirmed = EmailAddress.objects.confirmed().filter(address=address)
        account = get_user_model().objects.annotate(address=Lower("email")).filter(address=address)
        return self.filter(Q(author__isnull=False) | Exists(confirmed) | Exists(account))

    def by_address(self, address):
        """Comments written from `address`: a visitor's given email or a user's account email."""
        return self.filter(
            Q(author__isnull=True, author_email__iexact=address) | Q(author__email__iexact=address)
        )


class CommentManager(models.Manager.from_queryset(CommentQuerySet)):
    """The pages' reads, which start from the whole table: a manager's, so that no filter of a
    queryset before them can be silently left out."""

    def thread_page(self, talk, user, raw_number, *, unanswered=False):
        """Page `raw_number` of the talk's thread as `user` may see it (of its unanswered
        questions alone, with `unanswered`), read as rows (talks/rows.py) of THREAD_FIELDS,
        the replies to the page's comments in one more query."""
        # A later page's subquery of ids keeps the authors' left join: both databases drop it,
        # as nothing of it is read there.
        rows = Rows.source(self.model, THREAD_FIELDS)
        comments = rows.thread(talk, user)
        if unanswered:
            comments = comments.unanswered()
        page = paginate(comments, raw_number, settings.COMMENTS_PER_PAGE, rows=THREAD_FIELDS)
        ids = [row[0] for row in page.object_list.values]
        replies = Rows(self.model, THREAD_FIELDS, [], self.db)
        if ids:
            replies = Rows.read(rows.replies_shown(talk, user, ids), THREAD_FIELDS)
        return replace(page, object_list=Thread(page.object_list, replies))

    def queue_page(self, raw_number, user=None):
        """Page `raw_number` of the comments waiting on `user`'s talks, or on every talk without
        `user`, read as rows (talks/rows.py) of QUEUE_FIELDS."""
        # The page's ids come first, read from the comments alone (paginate's ids_first), then
        # their rows from Rows.source. Joined to the comments' talks and authors, PostgreSQL
        # would walk every speaker's waiting comments oldest first (comment_pending_idx)
        # instead of this speaker's own index: 650 ms against 2 ms with the bench's 500
        # waiting; and the joins of a values_list stay in the queries made from it, so the
        # ids are never taken from the rows' queryset.
        queue = self.pending_on_all_talks() if user is None else self.pending_for(user)
        return paginate(
            queue, raw_number, settings.COMMENTS_PER_PAGE, ids_first=True, rows=QUEUE_FIELDS
        )

    def subscriber_rows(self, talk_id):
        """Who hears of the talk's new comments, oldest comment first: of each subscribed
        comment from a proven address, (author_email, author_name, language) and its user's
        (email, name, username, language)."""
        return _subscriber_rows(self.model).filter(talk_id=talk_id)


@dataclass
class Thread:
    """A page of top-level comments and the replies to them, as rows; its comments, built
    when first asked for, carry their replies as `shown_replies`."""

    comments: Rows
    replies: Rows

    @cached_property
    def instances(self):
        replies = {}
        for reply in self.replies:
            replies.setdefault(reply.parent_id, []).append(reply)
        for comment in self.comments:
            comment.shown_replies = replies.get(comment.pk, [])
        return self.comments.instances

    def __iter__(self):
        return iter(self.instances)

    def __len__(self):
        return len(self.comments)
