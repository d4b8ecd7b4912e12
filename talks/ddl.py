"""SQL the ORM cannot write (virtual tables, triggers), kept per database as lists of statements
for each step: the search index's (talks/search/index.py) and comments_version's."""


def run_step(statements, step, using, *, needed_by):
    """Run `statements[using.vendor][step]` on `using`, in order."""
    for_vendor = statements.get(using.vendor)
    if for_vendor is None:
        raise NotImplementedError(f"{needed_by} needs SQLite or PostgreSQL, not {using.vendor}.")
    with using.cursor() as cursor:
        for sql in for_vendor[step]:
            cursor.execute(sql)
