"""Finds English left in a page or email that was rendered in German.

Two nets, both over what a reader sees (text, and the alt, title, aria-label, placeholder and
meta description attributes; never scripts, styles or URLs):
- every phrase of the English catalogue (the msgids, cut at their placeholders and tags) whose
  German differs: a marked string shown untranslated, e.g. rendered outside the reader's
  language or from a cache of another language's copy;
- common English words that German never uses: a string nobody marked, which the catalogue
  cannot know about.
"""

import re
from functools import cache
from html.parser import HTMLParser

import polib
from django.conf import settings

from talks.embed_providers import PROVIDER_NAMES

# Words of English that are not also German words (so not "was", "will", "an", "in", "so",
# "die"), and the site's own English vocabulary.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "are",
        "your",
        "you",
        "this",
        "that",
        "with",
        "for",
        "on",
        "by",
        "not",
        "be",
        "it",
        "its",
        "has",
        "have",
        "at",
        "or",
        "from",
        "there",
        "here",
        "please",
        "when",
        "what",
        "which",
        "who",
        "would",
        "should",
        "could",
        "been",
        "were",
        "they",
        "them",
        "their",
        "our",
        "we",
        "can't",
        "don't",
        "isn't",
        "won't",
        "yet",
        "any",
        "all",
        "more",
        "than",
        "only",
        "about",
        "into",
        "after",
        "before",
        "comment",
        "comments",
        "talk",
        "talks",
        "submit",
        "delete",
        "approve",
        "login",
        "logout",
        "log",
        "save",
        "cancel",
        "edit",
        "preview",
        "profile",
        "home",
        "newer",
        "older",
        "earlier",
        "later",
        "waiting",
        "approval",
        "pending",
        "sent",
        "send",
        "password",
        "reset",
        "email",
        "page",
        "pages",
        "found",
        "allowed",
        "request",
        "wrong",
        "something",
        "went",
        "unsubscribe",
        "unsubscribed",
        "subscribe",
        "notify",
        "new",
        "latest",
        "moderate",
        "moderation",
        "review",
        "speaker",
        "presenter",
        "presenters",
        "visitor",
        "visitors",
        "venue",
        "slides",
        "date",
        "description",
        "title",
        "language",
        "switch",
        "feed",
        "choose",
        "keep",
        "skip",
        "content",
        "toggle",
        "nothing",
        "yet",
    ]
)
# Words that may appear in German text: the site's name, technical terms.
ALLOWED = frozenset({"Talks", "Markdown", "JSON", "API", "CSRF", "HTTP", "URL", "Feed", "Admin"})
# Whole words in any script ("Frühere" is one word, not "Fr" and "here").
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Addresses, links, paths and JSON shown as examples ({"email": "..."}): not prose.
_URLISH = re.compile(r"\S+@\S+|\w+://\S+|/[\w./?=&%-]+|\{[^{}]*\}")
_PLACEHOLDER_OR_TAG = re.compile(
    r"%\(\w+\)[sd]|%%\(\w+\)[sd]|%[sd]|<[^>]*>|\{\w*\}|[:;,.!?()“”„\"]"
)
_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name in _ATTRIBUTES & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "meta" and attrs.get("name") == "description":
            self.parts.append(attrs.get("content") or "")
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html):
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@cache
def english_phrases():
    """Phrases of at least two words from the msgids whose German is different."""
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/de/LC_MESSAGES/django.po"))
    phrases = set()
    for entry in catalogue:
        germans = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            if english in germans:
                continue
            for chunk in _PLACEHOLDER_OR_TAG.split(english):
                chunk = " ".join(chunk.split())
                if len(chunk.split()) >= 2 and len(chunk) >= 8:
                    phrases.add(chunk)
    return frozenset(phrases)


def find_english(content, *, user_text=(), html=True):
    """The English phrases and words in `content`, once the readers' own texts are taken out."""
    text = visible_text(content) if html else " ".join(content.split())
    # Names, not words: the providers', and the subject prefix EMAIL_SUBJECT_PREFIX.
    names = (*user_text, *PROVIDER_NAMES, settings.EMAIL_SUBJECT_PREFIX.strip())
    for value in sorted(names, key=len, reverse=True):
        text = text.replace(value, " ")
    text = _URLISH.sub(" ", text)
    found = sorted(phrase for phrase in english_phrases() if phrase in text)
    found += sorted(
        {
            word
            for word in _WORD.findall(text)
            if word.lower() in ENGLISH_WORDS and word not in ALLOWED
        }
    )
    return found
