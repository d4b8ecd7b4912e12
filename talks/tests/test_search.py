"""Search: ranked, every word required, the last word a prefix; the same on both databases.

These run on whichever database DATABASE_URL names: the suite runs on SQLite and PostgreSQL,
and every assertion here is an exact outcome that both must give.
"""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from conftest import make_talk, make_user
from talks.models import Talk
from talks.search import parse_query
from talks.search.highlight import highlight

pytestmark = pytest.mark.django_db


def titles(q):
    return [talk.title for talk in Talk.objects.search(q)]


@pytest.fixture
def ranked():
    """One talk per field where the word "zebra" appears, and one without it."""
    ada = make_user("ada", name="Ada Zebra")
    bob = make_user("bob", name="Bob Builder")
    day = datetime.date(2020, 1, 1)
    make_talk(bob, title="In the description", description="All about a zebra.", date=day)
    make_talk(bob, title="At the venue", venue="Zebra Hall", date=day)
    make_talk(ada, title="By the speaker", date=day)
    make_talk(bob, title="Zebra in the title", date=day)
    make_talk(bob, title="Nothing here", description="Horses only.", date=day)


def test_title_ranks_above_speaker_above_venue_above_description(ranked):
    assert titles("zebra") == [
        "Zebra in the title",
        "By the speaker",
        "At the venue",
        "In the description",
    ]


def test_each_word_counts_in_the_field_it_is_found_in(db, john):
    day = datetime.date(2020, 1, 1)
    make_talk(john, title="Zebra stripes", venue="Hall", date=day)
    make_talk(john, title="Zebra hall", date=day)

    assert titles("zebra hall") == ["Zebra hall", "Zebra stripes"]


def test_a_word_said_often_in_the_description_stays_below_one_in_the_title(db, john):
    day = datetime.date(2020, 1, 1)
    make_talk(john, title="Stripes", description=" ".join(["zebra"] * 30), date=day)
    make_talk(john, title="Zebra", date=day)

    assert titles("zebra") == ["Zebra", "Stripes"]


def test_a_talks_rank_does_not_depend_on_how_many_other_talks_hold_its_words(db, john):
    """Neither database's rank reads the other rows: a rarer word weighs the same as a common
    one (FTS5's bm25 would count every row holding each word on every search)."""
    for n in range(10):
        make_talk(john, title=f"Common {n}", date=datetime.date(2019, 1, n + 1))
    make_talk(john, title="Zebra", description="common", date=datetime.date(2020, 1, 1))
    make_talk(john, title="Common", description="zebra", date=datetime.date(2020, 1, 2))

    assert titles("common zebra") == ["Common", "Zebra"]


def test_the_last_word_is_a_prefix(db, john):
    make_talk(john, title="Django at scale")
    make_talk(john, title="Flask at scale")

    assert titles("djan") == ["Django at scale"]
    assert titles("DJAN") == ["Django at scale"]


def test_only_the_last_word_is_a_prefix(db, john):
    make_talk(john, title="Django at scale")

    assert titles("djan scale") == []
    assert titles("django sca") == ["Django at scale"]


def test_every_word_is_required(db, john):
    make_talk(john, title="Django at scale")
    make_talk(john, title="Django for beginners")
    make_talk(john, title="Rust at scale")

    assert titles("scale django") == ["Django at scale"]
    assert titles("django rust") == []


def test_words_are_found_in_any_field_together(db):
    grace = make_user("grace", name="Grace Hopper")
    make_talk(grace, title="Compilers", venue="Navy Hall")

    assert titles("hopper navy compilers") == ["Compilers"]
    assert titles("grace") == ["Compilers"]  # the username is searched too


def test_ties_are_newest_first(db, john):
    for day in (1, 3, 2):
        make_talk(john, title=f"Django {day}", date=datetime.date(2020, 1, day))

    assert titles("django") == ["Django 3", "Django 2", "Django 1"]


def test_punctuation_separates_words_as_in_the_index(db, john):
    make_talk(john, title="Tips", description="See example.com/docs or e-mail foo_bar.")

    assert titles("example") == ["Tips"]
    assert titles("docs") == ["Tips"]
    assert titles("mail") == ["Tips"]
    assert titles("bar") == ["Tips"]


def test_letters_of_any_script_are_words(db, john):
    make_talk(john, title="Über Café-Kultur", description="Программирование и 東京")

    assert titles("über") == ["Über Café-Kultur"]
    assert titles("café") == ["Über Café-Kultur"]
    assert titles("программ") == ["Über Café-Kultur"]


def test_a_new_talk_is_found_at_once(db, john):
    make_talk(john, title="Fresh")

    assert titles("fresh") == ["Fresh"]


def test_an_edit_is_reflected_at_once(db, john):
    talk = make_talk(john, title="Before")
    talk.title = "After"
    talk.save()

    assert titles("before") == []
    assert titles("after") == ["After"]


def test_a_queryset_update_is_reflected_at_once(db, john):
    talk = make_talk(john, title="Before")
    Talk.objects.filter(pk=talk.pk).update(venue="Moonbase")

    assert titles("moonbase") == ["Before"]


def test_a_delete_is_reflected_at_once(db, john):
    talk = make_talk(john, title="Gone soon")
    talk.delete()

    assert titles("gone") == []


def test_a_bulk_create_is_indexed(db, john):
    Talk.objects.bulk_create(
        Talk(author=john, title=f"Bulk {n}", venue="Hall", date=datetime.date(2020, 1, n + 1))
        for n in range(3)
    )

    assert titles("bulk") == ["Bulk 2", "Bulk 1", "Bulk 0"]


def test_the_admins_bulk_delete_is_reflected(db, john, susan):
    keep = make_talk(john, title="Keep me")
    drop = [make_talk(john, title=f"Drop me {n}") for n in range(2)]
    request = RequestFactory().post("/admin/talks/talk/")
    request.user = susan
    request._messages = type("Messages", (), {"add": lambda *args, **kwargs: None})()
    admin = site._registry[Talk]

    admin.delete_queryset(request, Talk.objects.filter(pk__in=[talk.pk for talk in drop]))

    assert titles("me") == [keep.title]


def test_a_speakers_new_name_reindexes_their_talks(db, john):
    make_talk(john, title="One")
    make_talk(john, title="Two", date=datetime.date(2015, 1, 1))
    john.name = "Johanna Quux"
    john.save()

    assert titles("quux") == ["Two", "One"]
    assert titles("doe") == []


def test_a_talk_handed_over_is_found_under_its_new_speaker(db, john):
    talk = make_talk(john, title="Moved")
    talk.author = make_user("mary", name="Mary Quant")
    talk.save()

    assert titles("quant") == ["Moved"]
    assert titles("doe") == []


def test_a_deleted_speakers_talks_leave_the_index(db, john):
    make_talk(john, title="Farewell")
    john.delete()

    assert titles("farewell") == []


HOSTILE = [
    '"',
    '"django',
    "django*",
    "*",
    "NEAR(django scale)",
    "django OR rust",
    "django AND",
    "NOT django",
    "^django",
    "title:django",
    "(django",
    "django)",
    "'",
    "django'",
    "d:*",
    "!!! ??? ...",
    "🎉 django 🎉",
    "x" * 10_000,
    "a " * 5000,
    "-django",
    "django & | !",
    "\\",
    "%",
    "_",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_a_hostile_query_gets_results_or_a_hint_never_an_error(client, john, q):
    make_talk(john, title="Django at scale")

    response = client.get("/search/", {"q": q})

    assert response.status_code == 200
    content = response.content.decode()
    assert ("<mark>Django</mark> at scale" in content) or ('class="search-hint' in content)


def test_a_nul_character_is_refused_with_a_message(client, db):
    response = client.get("/search/", {"q": "\x00django"})

    assert response.status_code == 400


def test_fts_syntax_is_read_as_plain_words(db, john):
    make_talk(john, title="Django or Rust near me")
    make_talk(john, title="Django alone")

    assert titles("django OR") == ["Django or Rust near me"]
    assert titles("NEAR(django rust)") == ["Django or Rust near me"]
    assert sorted(titles('"django"*')) == ["Django alone", "Django or Rust near me"]


def test_an_empty_query_gets_a_hint(client, db):
    response = client.get("/search/", {"q": "  "})

    assert response.status_code == 200
    assert b"Type a word from a talk" in response.content


def test_no_q_at_all_gets_a_hint(client, db):
    response = client.get("/search/")

    assert response.status_code == 200
    assert b"Type a word from a talk" in response.content


def test_an_over_long_query_gets_a_hint(client, db):
    response = client.get("/search/", {"q": "x" * 10_000})

    assert b"That search is too long" in response.content


def test_punctuation_alone_gets_a_hint(client, db):
    response = client.get("/search/", {"q": "!!! ???"})

    assert b"punctuation alone finds nothing" in response.content


def test_no_match_says_so(client, john):
    response = client.get("/search/", {"q": "nothing"})

    assert "No talk matches every word of “nothing”." in response.content.decode()


def test_the_page_marks_the_words_and_escapes_the_rest(client, john):
    make_talk(john, title="<b>Django</b> & friends", description="Djangonauts welcome")

    content = client.get("/search/", {"q": "djang"}).content.decode()

    assert "&lt;b&gt;<mark>Django</mark>&lt;/b&gt; &amp; friends" in content
    assert "<mark>Djangonauts</mark> welcome" in content


def test_the_pager_keeps_the_query(client, john, settings):
    settings.TALKS_PER_PAGE = 2
    for n in range(5):
        make_talk(john, title=f"Django {n}", date=datetime.date(2020, 1, n + 1))

    first = client.get("/search/", {"q": "django"}).content.decode()
    second = client.get("/search/", {"q": "django", "page": "2"}).content.decode()
    last = client.get("/search/", {"q": "django", "page": "3"})

    assert 'href="?q=django&amp;page=2"' in first
    assert "<mark>Django</mark> 4" in first and "<mark>Django</mark> 2" in second
    assert "<mark>Django</mark> 0" in last.content.decode()
    assert 'href="?q=django&amp;page=1"' in second
    assert client.get("/search/", {"q": "django", "page": "4"}).status_code == 404


def test_the_navbar_has_a_labelled_search_box(client, db):
    content = client.get("/").content.decode()

    assert 'action="/search/"' in content
    assert '<label class="visually-hidden" for="navbar-q">Search talks</label>' in content
    assert 'id="navbar-q" name="q"' in content


def test_highlight_never_marks_inside_an_entity():
    query = parse_query("amp")

    assert str(highlight("a & b amplifier", query)) == "a &amp; b <mark>amplifier</mark>"


def test_highlight_marks_whole_words_only_for_earlier_terms():
    query = parse_query("scale djan")

    assert str(highlight("Django scales at scale", query)) == (
        "<mark>Django</mark> scales at <mark>scale</mark>"
    )


def test_emptying_the_talks_table_empties_the_index(db, john):
    from django.db import connection

    from talks.models import TalkSearchEntry

    make_talk(john, title="Soon truncated")
    with connection.cursor() as cursor:
        # What Django's flush does: TRUNCATE on PostgreSQL, DELETE on SQLite.
        statement = (
            "TRUNCATE talks_talk CASCADE"
            if connection.vendor == "postgresql"
            else ("DELETE FROM talks_talk")
        )
        if connection.vendor == "postgresql":
            # The test's transaction still holds the talk's deferred foreign key checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement)

    assert TalkSearchEntry.entries.count() == 0


def test_of_a_very_common_word_the_most_recent_matches_are_ranked(db, john, monkeypatch):
    import talks.search.models

    monkeypatch.setattr(talks.search.models, "RANKED_MATCHES", 3)
    make_talk(john, title="Common word in the title, added first")
    for n in range(4):
        make_talk(
            john, title=f"Later {n}", description="common", date=datetime.date(2014, 1, n + 1)
        )

    # The title match was added first: it is past the three most recent, so it is not ranked.
    assert titles("common") == ["Later 3", "Later 2", "Later 1"]
    assert titles("common title") == ["Common word in the title, added first"]


def test_a_dump_and_load_leaves_the_index_to_the_triggers(db, john, tmp_path):
    import io

    from django.core.management import call_command

    from talks.models import TalkSearchEntry

    make_talk(john, title="Dumped and loaded")
    dump = tmp_path / "dump.json"
    call_command("dumpdata", "accounts", "talks", output=str(dump), stdout=io.StringIO())
    assert "talksearchentry" not in dump.read_text()
    Talk.objects.all().delete()

    call_command("loaddata", str(dump), stdout=io.StringIO())

    assert titles("loaded") == ["Dumped and loaded"]
    assert TalkSearchEntry.entries.count() == 1


def test_a_cached_result_page_shows_an_edit_at_once(client, john):
    talk = make_talk(john, title="Django before")
    client.get("/search/", {"q": "django"})
    talk.title = "Django after"
    talk.save()

    content = client.get("/search/", {"q": "django"}).content.decode()

    assert "<mark>Django</mark> after" in content and "before" not in content


def test_a_cached_result_page_marks_the_words_of_each_query(client, john):
    make_talk(john, title="Django scale")
    assert "<mark>scale</mark>" in client.get("/search/", {"q": "django scale"}).content.decode()

    content = client.get("/search/", {"q": "scale django"}).content.decode()

    assert "<mark>Django</mark> <mark>scale</mark>" in content
