"""The default cache: Django's database cache, with counters that several workers can share.

Rate limits count with `cache.add` and `cache.incr`. Django's database cache implements incr
as a get and a set, which two gunicorn workers can interleave (losing a hit) and which resets
the counter's expiry to the default timeout. Here incr locks the row, and rewrites only the
value, in one transaction: SELECT … FOR UPDATE on PostgreSQL; on SQLite the transaction
itself takes the write lock (settings: IMMEDIATE transactions).
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as BaseDatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(BaseDatabaseCache):
    def incr(self, key, delta=1, version=None):
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, key_column = quote(self._table), quote("cache_key")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                # Only quoted names are formatted in; the key is a parameter.
                select = f"SELECT {key_column} FROM {table} WHERE {key_column} = %s{lock}"  # noqa: S608 - names quoted by the backend, values are parameters
                cursor.execute(select, [cache_key])
            # Read after the lock: no other worker can change the value until this commits.
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found")
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode()
            with connection.cursor() as cursor:
                update = f"UPDATE {table} SET {quote('value')} = %s WHERE {key_column} = %s"  # noqa: S608 - as above
                cursor.execute(update, [encoded, cache_key])
        return new_value
