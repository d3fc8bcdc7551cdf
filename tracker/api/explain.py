"""What a resource's read plans decide, and why (tracker/reading/plan.py): ``manage.py explain_reads``."""

from typing import NamedTuple

from django.db import connections, router

from tracker.models import CITED_SOURCES, cites_sources
from tracker.reading.plan import Decision, PlannedSerializer, children_read_as_rows


class ChildrenPlan(NamedTuple):
    model: type
    rows: Decision
    json: Decision | None  # stored or built, for children read as rows


class ResourcePlan(NamedTuple):
    """A resource's plans in one shape: its records' (a list's page, a detail), its children's, its export's."""

    database: str
    records: Decision
    children: dict[str, ChildrenPlan]
    csv: Decision


def resource_plan(viewset, fields=(), omit=(), expand=()) -> ResourcePlan:
    """The plans of ``viewset``'s reads in this shape, as a request that asks for it would make them."""
    serializer = viewset.serializer_class(fields=fields, omit=omit, expand=expand)
    model = viewset.queryset.model
    db = router.db_for_read(model)
    queryset = viewset.base_queryset(cites_sources(model), tuple(sorted(expand)))
    columns = {field.name for field in model._meta.concrete_fields} | set(queryset.query.annotation_select)
    _, records = serializer.read_plan.rows_or_instances(columns)
    csv = serializer.read_plan.sql_or_python_csv(model, columns, db)
    return ResourcePlan(db, records, children_plans(serializer, db), csv)


def children_plans(serializer, db: str) -> dict[str, ChildrenPlan]:
    read_as_rows = children_read_as_rows(type(serializer))
    plans = {}
    for name, field in serializer.fields.items():
        child = getattr(field, "child", None)
        if isinstance(child, PlannedSerializer):
            model = child.Meta.model
            columns = {column.name for column in model._meta.concrete_fields} | {CITED_SOURCES}
            _, rows = child.read_plan.rows_or_instances(columns)
            json = child.read_plan.stored_or_built(model, db) if name in read_as_rows else None
            plans[name] = ChildrenPlan(model, rows, json)
    return plans


def explained(prefix: str, viewset, plan: ResourcePlan) -> list[str]:
    """The plan as lines of text."""
    serializer = viewset.serializer_class.__name__
    lines = [
        f"{prefix}: {viewset.__name__}, {serializer}, database {plan.database!r} ({connections[plan.database].vendor})",
        f"  records (a list's page, a detail): {plan.records}",
    ]
    for name, children in plan.children.items():
        lines.append(f"  children `{name}` ({children.model.__name__}): {children.rows}")
        if children.json is not None:
            lines.append(f"    their JSON: {children.json}")
    lines.append(f"  CSV export: {plan.csv}")
    return lines
