from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .embed_providers import PROVIDER_NAMES
from .embeds import EMBED_MAX_LENGTH, normalize_embed
from .models import Comment, Talk
from .services import create_comment

EMBED_HELP = format_lazy(
    _("Paste a link or the provider's embed code. Accepted: {providers}."),
    providers=", ".join(PROVIDER_NAMES),
)


def embed_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=EMBED_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=EMBED_HELP,
    )


class TalkForm(forms.ModelForm):
    slides_url = embed_field(_("Slides"))
    video_url = embed_field(_("Video"))
    venue_url = forms.URLField(
        label=_("Venue URL"), required=False, max_length=200, assume_scheme="https"
    )

    # The speaker's wish, as a box; Talk.set_comments_open() turns it into the stored state.
    comments_open = forms.BooleanField(label=_("Comments open"), required=False, initial=True)

    class Meta:
        model = Talk
        fields = ["title", "description", "slides_url", "video_url", "venue", "venue_url", "date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["comments_open"] = self.instance.comments_are_open()
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        if days is not None:
            self.fields["comments_open"].help_text = ngettext(
                "Comments close by themselves %(days)d day after the talk's date; "
                "tick the box again to reopen them.",
                "Comments close by themselves %(days)d days after the talk's date; "
                "tick the box again to reopen them.",
                days,
            ) % {"days": days}

    def clean_slides_url(self):
        return normalize_embed(self.cleaned_data["slides_url"])

    def clean_video_url(self):
        return normalize_embed(self.cleaned_data["video_url"])

    def save(self, commit=True):
        # After validation, so the date the rule reads is the one just entered.
        self.instance.set_comments_open(self.cleaned_data["comments_open"])
        return super().save(commit)


COMMENT_MAX_LENGTH = 10_000
COMMENT_TOO_LONG = _("A comment can be at most 10,000 characters (this one has %(show_value)d).")


REPLY_REFUSED = _(
    "The comment you replied to cannot be answered: it is not published, or no longer there. "
    "Send your text again to post it as a new comment."
)


class CommentForm(forms.ModelForm):
    """A comment on `talk`: visitors give name, email and "notify me"; users give only the body."""

    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italic*, `code`, lists, quotes and links."),
        error_messages={"max_length": COMMENT_TOO_LONG},
    )
    # The honeypot: hidden from people (CSS, aria-hidden, out of the tab order), filled by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    # The id of the comment answered, for a reply; static/js/replies.js or ?reply=<id> fill it.
    parent = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["author_name", "author_email", "body", "notify"]
        labels = {"author_name": _("Name"), "author_email": _("Email")}
        help_texts = {
            "author_email": _("Never shown to other visitors."),
            "notify": _("Every email has a link to stop them."),
        }

    def __init__(
        self, *args, talk, user, reply_to=None, proven_address=None, language=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.talk = talk
        self.user = user
        self.proven_address = proven_address
        self.language = language
        # The comment being answered (a reply itself, maybe), for "Replying to <name>".
        self.replying_to = reply_to
        if reply_to is not None:
            self.initial["parent"] = str(reply_to.pk)
        self.fields["body"].widget.attrs["data-preview-source"] = ""
        if user.is_authenticated:
            for name in ("author_name", "author_email", "notify", "website"):
                del self.fields[name]
            layout = Layout("parent", "body")
        else:
            self.fields["author_name"].required = True
            self.fields["author_email"].required = True
            self.fields["author_name"].widget.attrs["autocomplete"] = "name"
            self.fields["author_email"].widget.attrs["autocomplete"] = "email"
            layout = Layout(
                "parent",
                "author_name",
                "author_email",
                "body",
                "notify",
                Div("website", css_class="hp-field", aria_hidden="true"),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token
        self.helper.layout = layout

    def clean_parent(self):
        raw = self.cleaned_data["parent"]
        if not raw:
            return None
        answered = Comment.objects.answerable(self.talk, raw)
        if answered is None:
            self.add_error(None, REPLY_REFUSED)
            # Sent back without it, the form posts a plain comment next time.
            self.data = self.data.copy()
            self.data[self.add_prefix("parent")] = ""
            return None
        self.replying_to = answered
        # One level deep: a reply to a reply joins the conversation of its top-level comment.
        return answered.parent or answered

    @property
    def is_spam(self):
        """Did a bot fill the honeypot? Such a post is answered like any other, and dropped."""
        return bool(self.cleaned_data.get("website"))

    def save(self, commit=True):
        data = self.cleaned_data
        return create_comment(
            talk=self.talk,
            user=self.user,
            body=data["body"],
            author_name=data.get("author_name", ""),
            author_email=data.get("author_email", ""),
            notify=data.get("notify", False),
            parent=data.get("parent"),
            proven_address=self.proven_address,
            language=self.language,
        )


class CommentPreviewForm(forms.Form):
    """The text typed so far in a comment form, for the live preview."""

    body = forms.CharField(
        required=False,
        strip=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": COMMENT_TOO_LONG},
    )
