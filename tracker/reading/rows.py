"""Records read as ``values_list`` rows that answer their columns by name: no model instance in between
(a page of records, a detail found by a compiled query, the timeline's entries)."""

from functools import cache

from django.db.models.query import ValuesListIterable


class Row(tuple):
    """A ``values_list`` row that also answers its columns by name (a page's keys, its ``updated_at``);
    ``RecordIterable`` makes a subclass per query, whose ``paths`` name the columns."""

    __slots__ = ()
    paths: list[str] = []
    at: dict[str, int] = {}

    @classmethod
    @cache
    def of(cls, paths: tuple[str, ...]) -> type:
        """The rows of these columns: one class per process for each."""
        at = {path: i for i, path in enumerate(paths)}
        return type("Row", (cls,), {"__slots__": (), "paths": list(paths), "at": at})

    def __getattr__(self, name: str):
        try:
            return self[self.at[name]]
        except KeyError:
            raise AttributeError(name) from None


class RecordIterable(ValuesListIterable):
    """A ``values_list`` queryset's rows as ``Row``s, by the names of its columns: those given, then the
    annotations added after (a sort key, a search rank). A read plan shows them (``ReadPlan.row_representer``)."""

    def __iter__(self):
        return map(row_class(self.queryset), super().__iter__())


def row_class(queryset) -> type:
    """The ``Row`` of an ``as_rows`` queryset: its columns named as given, then its later annotations."""
    given = queryset._fields  # private: the names given to values_list(); Django has no public accessor
    return Row.of((*given, *(name for name in queryset.query.annotation_select if name not in given)))


def as_rows(queryset, *names: str):
    """``queryset.values_list(*names)``, its rows answering by name (``Row``)."""
    values = queryset.values_list(*names)
    # private: the class that turns a query's tuples into results, as values_list() itself sets it; Django has
    # no public hook for a queryset's result type.
    values._iterable_class = RecordIterable
    return values
