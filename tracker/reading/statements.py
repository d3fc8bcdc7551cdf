"""Queries compiled once, run again with the one value that differs between requests.

Django compiles a queryset into SQL every time it runs it, and for a query of fixed shape (a place's
timeline, read kind by kind; a record found by its key) compiling is most of what the request costs in
Python: the SQL is the same each time but for one parameter. A ``CompiledQuery`` is built and compiled
once per database, with a placeholder key where the value goes, and then run with the request's value in its place:
the same SQL, the same parameters, the same converters Django would have applied to the rows.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router

from tracker.reading.rows import row_class

# Where the compiled SQL takes the request's value: a key no record has, one of each type a key can be.
KEY_PLACEHOLDERS = {int: -6_187_322_091_411, str: "\x00prepared-key\x00"}


class CompiledQuery:
    """``build(key)``'s rows (an ``as_rows`` queryset of ``model``, answering by name), compiled on first use
    in each database the router reads ``model`` from."""

    def __init__(self, model, build):
        self.model, self.build = model, build
        self.compiled = {}  # {(database alias, key type): the compiled query}

    def rows(self, key) -> list:
        """The rows ``build(key)`` would give, from the SQL compiled once."""
        alias = router.db_for_read(self.model)
        compiled = self.compiled.get((alias, type(key))) or self.compile(alias, type(key))
        sql, params, at, compiler, converters, row = compiled
        params = [key if index in at else value for index, value in enumerate(params)]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if compiler.has_extra_select:
            found = [values[: compiler.col_count] for values in found]
        if converters:
            found = compiler.apply_converters(found, converters)
        return list(map(row, found))

    def compile(self, alias: str, kind: type) -> tuple:
        queryset = self.build(KEY_PLACEHOLDERS[kind]).using(alias)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        at = {index for index, value in enumerate(params) if value == KEY_PLACEHOLDERS[kind] and type(value) is kind}
        if not at:
            raise ImproperlyConfigured(f"{queryset.model.__name__}: the built query does not take its key")
        converters = compiler.get_converters([column for column, *_ in compiler.select[: compiler.col_count]])
        compiled = (sql, list(params), at, compiler, converters, row_class(queryset))
        self.compiled[alias, kind] = compiled
        return compiled
