"""The German catalogue is complete, current with the code, and compiled."""

import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

PO = settings.BASE_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO))


def translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_the_catalogue_is_german_with_two_plural_forms(catalogue):
    assert catalogue.metadata["Language"] == "de"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert not catalogue.metadata_is_fuzzy


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(catalogue):
    untranslated = [entry.msgid for entry in catalogue if not all(translations(entry))]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    obsolete = [entry.msgid for entry in catalogue.obsolete_entries()]

    assert (untranslated, fuzzy, obsolete) == ([], [], [])
    assert len(catalogue) > 50


def test_each_translation_keeps_the_placeholders_of_its_english(catalogue):
    wrong = []
    for entry in catalogue:
        english = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for german in translations(entry):
            found = sorted(PLACEHOLDER.findall(german))
            # A singular may spell out its number ("ein Kommentar") instead of %(counter)s.
            if found != english and not (entry.msgid_plural and set(found) <= set(english)):
                wrong.append((entry.msgid, german))
    assert wrong == []


def test_the_committed_mo_file_is_the_compiled_catalogue(catalogue):
    def pairs(entries):
        return {
            (entry.msgctxt, entry.msgid): tuple(translations(entry))
            for entry in entries
            if entry.msgid
        }

    assert pairs(polib.mofile(str(MO))) == pairs(catalogue.translated_entries())


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_the_catalogue_holds_every_string_the_code_marks(tmp_path, catalogue):
    """A string marked since the last `make messages` would be English on a German page."""
    copy = tmp_path / "site"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".venv", "node_modules", "staticfiles", ".git", "*.sqlite3*"),
    )
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    ignores = re.search(r"MESSAGES_IGNORE := (.*?)\n\n", makefile, re.S)[1]
    ignores = [word.strip("'") for word in ignores.replace("\\\n", " ").split()]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "de", "--no-obsolete", *ignores],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / PO.relative_to(settings.BASE_DIR)))

    def msgids(entries):
        return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in entries}

    assert msgids(fresh) - msgids(catalogue) == set(), "run `make messages` and translate"
    assert msgids(catalogue) - msgids(fresh) == set(), "run `make messages`: unused entries"
