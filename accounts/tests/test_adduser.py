"""`manage.py adduser`: the prompts through a real pseudo-terminal, the rest in process.

The pty tests run the command as a person does, in its own process, against a migrated
SQLite file that the test reads back directly.
"""

import os
import pty
import re
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command

from accounts.models import User
from conftest import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30
# Django colours errors red on a terminal; the tests read the words.
COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def command_env(database):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="talks_site.settings",
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="true",
        SECRET_KEY="adduser-tests-key",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory):
    """A migrated SQLite file, made once for the module; each test works on a copy."""
    database = tmp_path_factory.mktemp("adduser") / "template.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=command_env(database),
        check=True,
        timeout=120,
    )
    return database


@pytest.fixture
def database(migrated_database, tmp_path):
    copy = tmp_path / "db.sqlite3"
    # The backup API copies what is still in the WAL file too, unlike a file copy.
    with sqlite3.connect(migrated_database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    return copy


def run_in_terminal(database, *args, answers=()):
    """Run `manage.py adduser ARGS` on a pty, typing each answer after its prompt.

    `answers` is a list of (prompt, text) pairs. Returns the exit code and everything the
    terminal showed, with \r\n as \n and without colours.
    """
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "adduser", *args],
        cwd=ROOT,
        env=command_env(database),
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    shown, pending = b"", list(answers)
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(controller, 4096)
                except OSError:  # EIO: the command exited and closed the terminal
                    break
                if not chunk:
                    break
                shown += chunk
            if pending and shown.endswith(pending[0][0].encode()):
                os.write(controller, pending.pop(0)[1].encode())
            if process.poll() is not None and not ready:
                break
        else:
            pytest.fail(f"adduser did not finish in {TIMEOUT}s; it showed {shown!r}")
        code = process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(controller)
    assert pending == [], f"these prompts never came: {pending!r}; shown: {shown!r}"
    return code, COLOURS.sub("", shown.decode().replace("\r\n", "\n"))


def users_in(database):
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT email, username, is_staff, is_superuser, password FROM accounts_user"
        ).fetchall()
    connection.close()
    return rows


@pytest.fixture
def real_hashers(settings):
    """The command runs with the production hashers; verify its hashes with them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def test_adduser_prompts_for_a_password_twice_and_registers_a_speaker(database, real_hashers):
    code, shown = run_in_terminal(
        database,
        "ann@example.com",
        "ann",
        answers=[("Password: ", PASSWORD + "\n"), ("Confirm: ", PASSWORD + "\n")],
    )

    assert code == 0
    assert shown == "Password: \nConfirm: \nUser ann was registered successfully.\n"
    [(email, username, is_staff, is_superuser, hashed)] = users_in(database)
    assert (email, username, is_staff, is_superuser) == ("ann@example.com", "ann", 0, 0)
    assert check_password(PASSWORD, hashed) is True


def test_adduser_admin_makes_a_staff_superuser(database):
    code, shown = run_in_terminal(
        database,
        "--admin",
        "boss@example.com",
        "boss",
        answers=[("Password: ", PASSWORD + "\n"), ("Confirm: ", PASSWORD + "\n")],
    )

    assert code == 0
    assert shown.endswith("User boss was registered successfully.\n")
    assert [row[:4] for row in users_in(database)] == [("boss@example.com", "boss", 1, 1)]


def test_adduser_refuses_passwords_that_do_not_match(database):
    code, shown = run_in_terminal(
        database,
        "ann@example.com",
        "ann",
        answers=[("Password: ", PASSWORD + "\n"), ("Confirm: ", PASSWORD + "?\n")],
    )

    assert code == 1
    assert shown == "Password: \nConfirm: \nCommandError: Passwords do not match.\n"
    assert users_in(database) == []


def add_user_row(database, email, username):
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO accounts_user (password, is_superuser, username, is_staff, is_active,"
            " date_joined, email, name, location, bio)"
            " VALUES ('!', 0, ?, 0, 1, '2014-04-11 00:00:00', ?, '', '', '')",
            [username, email],
        )
    connection.close()


def test_adduser_refuses_a_taken_email_before_asking_for_a_password(database):
    add_user_row(database, "ann@example.com", "ann")

    code, shown = run_in_terminal(database, "ANN@example.com", "annie")

    assert code == 1
    assert shown == "CommandError: A user with the email ANN@example.com already exists.\n"
    assert [row[1] for row in users_in(database)] == ["ann"]


def test_adduser_refuses_an_invalid_email_without_a_traceback(database):
    code, shown = run_in_terminal(database, "not-an-email", "ann")

    assert code == 1
    assert shown == "CommandError: 'not-an-email' is not a valid email address.\n"
    assert users_in(database) == []


def test_adduser_stops_cleanly_when_the_terminal_sends_end_of_file(database):
    code, shown = run_in_terminal(
        database, "ann@example.com", "ann", answers=[("Password: ", "\x04")]
    )

    assert code == 1
    assert shown == "Password: \nCommandError: Cancelled.\n"
    assert users_in(database) == []


# In process: the same command, on the paths that need no terminal.


def test_noinput_takes_the_password_from_the_environment(db, monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", PASSWORD)

    call_command("adduser", "ann@example.com", "ann", "--noinput")

    user = User.objects.get()
    assert (user.email, user.username, user.is_staff, user.is_superuser) == (
        "ann@example.com",
        "ann",
        False,
        False,
    )
    assert user.check_password(PASSWORD) is True
    assert capsys.readouterr().out == "User ann was registered successfully.\n"


def test_noinput_without_the_variable_is_refused(db, monkeypatch):
    monkeypatch.delenv("DJANGO_USER_PASSWORD", raising=False)

    with pytest.raises(CommandError) as error:
        call_command("adduser", "ann@example.com", "ann", "--noinput")

    assert str(error.value) == "Set DJANGO_USER_PASSWORD to use --noinput."
    assert User.objects.exists() is False


def test_the_domain_of_the_address_is_stored_in_lower_case(db, monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", PASSWORD)

    call_command("adduser", "Ann@Example.COM", "ann", "--noinput")

    assert User.objects.get().email == "Ann@example.com"


def test_a_username_taken_in_another_case_is_refused(john, monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", PASSWORD)

    with pytest.raises(CommandError) as error:
        call_command("adduser", "other@example.com", "John", "--noinput")

    assert str(error.value) == "A user with the username John already exists."
    assert list(User.objects.values_list("username", flat=True)) == ["john"]


def test_a_username_with_spaces_is_refused(db, monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", PASSWORD)

    with pytest.raises(CommandError) as error:
        call_command("adduser", "ann@example.com", "ann lee", "--noinput")

    assert str(error.value) == (
        "Enter a valid username. This value may contain only letters, numbers, "
        "and @/./+/-/_ characters."
    )
    assert User.objects.exists() is False


def test_a_weak_password_is_refused_with_the_validators_reasons(db, monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "12345")

    with pytest.raises(CommandError) as error:
        call_command("adduser", "ann@example.com", "ann", "--noinput")

    assert str(error.value) == (
        "This password is too short. It must contain at least 8 characters. "
        "This password is too common. This password is entirely numeric."
    )
    assert User.objects.exists() is False


def test_the_new_speaker_can_log_in(client, db, monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", PASSWORD)
    call_command("adduser", "ann@example.com", "ann", "--noinput")

    response = client.post("/auth/login/", {"username": "ann@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get().pk


def test_createsuperuser_still_works(db, monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command(
        "createsuperuser", "--noinput", "--email", "root@example.com", "--username", "root"
    )

    user = User.objects.get()
    assert (user.email, user.username, user.is_staff, user.is_superuser) == (
        "root@example.com",
        "root",
        True,
        True,
    )
    assert user.check_password(PASSWORD) is True


def test_createsuperuser_refuses_an_email_taken_in_another_case(db, monkeypatch):
    make_user("ann")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    with pytest.raises(CommandError) as error:
        call_command(
            "createsuperuser", "--noinput", "--email", "ANN@example.com", "--username", "x"
        )

    assert str(error.value) == "Error: That email address is already taken."
