"""The rows seed_demo inserts, named as the models' fields, and the bulk insert that writes them."""

import datetime
import itertools
from typing import NamedTuple

from django.db import connection, models

CHUNK = 20_000


class TalkRow(NamedTuple):
    """A talk as seed_demo inserts it: the fields, named as on the model, in the INSERT's order."""

    author_id: int
    title: str
    description: str
    slides_url: str
    video_url: str
    venue: str
    venue_url: str
    date: datetime.date
    created_at: datetime.datetime
    updated_at: datetime.datetime


class CommentRow(NamedTuple):
    """A comment as seed_demo inserts it, like TalkRow."""

    talk_id: int
    talk_author_id: int
    author_id: int | None
    author_name: str
    author_email: str
    body: str
    body_html: str
    created_at: datetime.datetime
    notify: bool
    approved: bool


class CommentTarget(NamedTuple):
    """Where a comment goes, and whether it is published."""

    talk_id: int
    talk_author_id: int
    approved: bool


def insert_rows(model, row_type, rows):
    """Insert `rows` (`row_type` tuples, whose fields name the model's) in bulk: COPY on
    PostgreSQL, else INSERT."""
    fields = [model._meta.get_field(name) for name in row_type._fields]
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
