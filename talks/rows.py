"""Rows read as plain values, made into model instances only if a page renders them.

A list shown in a cached fragment (talks/fragments.py) is read on every request, for the digest
its cache key is made of, and rendered only on a miss. Reading model instances costs about twice
what reading the same columns as tuples does (an instance and its related objects' caches for
each row, a datetime converter on each), and taking their digest several times more; most
requests find the fragment cached and use neither. So such a list is read as tuples, its digest
taken of them, and the instances are built from those very tuples when the fragment renders.

Django sets up a values_list's columns (a join for each `__`) each time one is asked for, and
for a page of comments that was as much as the rest of building its query: the talk page's
thread starts from Rows.source(), whose columns are set up once (talks/prepared.py). Those
joins stay in every query made from it, a subquery of its ids included: a list whose ids must
be read without them (a moderation queue) takes its ids from a plain queryset and its rows by
those ids from Rows.source() (talks.pagination.paginate's ids_first).
"""

import functools
from collections.abc import Sequence

from .prepared import built_once


class Rows(Sequence):
    """The rows (`values`, tuples) of `fields` of `model`, read from the database `using`.

    `fields` are names as `only()` takes them: a model's own columns (a foreign key by its
    attname, `author_id`) and, through `__`, those of models joined to it, the primary key
    of each (`author__id`) included. Indexing or iterating gives the instances, built once, each
    with the related instances its fields name attached, as `select_related()` would; a column
    not read is deferred, and reading it would cost a query, as with `only()`.
    """

    def __init__(self, model, fields, values, using):
        self.model = model
        self.fields = tuple(fields)
        self.values = values
        self.using = using

    @staticmethod
    def source(model, fields):
        """`model`'s rows as tuples of `fields`, to filter, order and slice like any queryset
        (its query's own methods included) and read with Rows.read()."""
        return _source(model, tuple(fields))

    @classmethod
    def read(cls, queryset, fields):
        """`fields` of every row of `queryset`, as it orders them; one query. A queryset made
        from Rows.source() with these fields is read as it is, any other narrowed to them."""
        if queryset.query.values_select != tuple(fields):
            queryset = queryset.values_list(*fields)
        return cls(queryset.model, fields, list(queryset), queryset.db)

    def __len__(self):
        return len(self.values)

    def __getitem__(self, index):
        return self.instances[index]

    @functools.cached_property
    def instances(self):
        steps = _steps(self.model, self.fields)
        return [self._instance(row, steps) for row in self.values]

    def _instance(self, row, steps):
        built = {}
        for path, model, attnames, indexes, pk in steps:
            values = tuple(row[index] for index in indexes)
            # A nullable key's join finds no row: the related object is None, as the key is.
            instance = None if values[pk] is None else model.from_db(self.using, attnames, values)
            built[path] = instance
            if path and built[path[:-1]] is not None:
                setattr(built[path[:-1]], path[-1], instance)
        return built[()]


@built_once
def _source(model, fields):
    return model._default_manager.values_list(*fields)


@functools.cache
def _steps(model, fields):
    """For each model the fields reach, its path of relations from `model`, the model, the
    attnames of its columns read, where they sit in a row, and where its primary key sits
    among them; owners before what is joined to them."""
    columns = {}
    for index, name in enumerate(fields):
        *path, column = name.split("__")
        columns.setdefault(tuple(path), []).append((column, index))
    if () not in columns:
        raise ValueError(f"Rows of {model.__name__}: read {model._meta.pk.attname} too.")
    steps = []
    for path in sorted(columns, key=len):
        if path[:-1] not in columns:
            raise ValueError(f"Rows of {model.__name__}: read {'__'.join(path[:-1])}__id too.")
        related = model
        for relation in path:
            related = related._meta.get_field(relation).related_model
        # In the model's order of columns, which Model.from_db() takes its values in.
        order = {field.attname: n for n, field in enumerate(related._meta.concrete_fields)}
        read = sorted(
            ((related._meta.get_field(column).attname, index) for column, index in columns[path]),
            key=lambda column: order[column[0]],
        )
        attnames = tuple(attname for attname, _ in read)
        pk = related._meta.pk.attname
        if pk not in attnames:
            raise ValueError(f"Rows of {model.__name__}: read {'__'.join((*path, pk))} too.")
        indexes = tuple(index for _, index in read)
        steps.append((path, related, attnames, indexes, attnames.index(pk)))
    return tuple(steps)
