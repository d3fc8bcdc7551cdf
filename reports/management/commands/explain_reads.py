"""Prints how a resource's records are read (tracker/reading/plan.py): rows or instances, stored or built
JSON, SQL or Python CSV, and why. ``manage.py explain_reads letters --expand jurisdiction``."""

from django.core.management.base import BaseCommand, CommandError
from rest_framework.exceptions import ValidationError

from reports.api_urls import router
from tracker.api.explain import explained, resource_plan
from tracker.api.params import comma_list


class Command(BaseCommand):
    help = "How a resource's records are read, and why: rows or instances, stored or built JSON, SQL or Python CSV."

    def add_arguments(self, parser):
        parser.add_argument("resource", help="The resource as the API names it (letters, grants, …).")
        for shape in ("fields", "omit", "expand"):
            parser.add_argument(f"--{shape}", default="", help=f"A comma list, as {shape}= takes it.")

    def handle(self, *args, resource, **options):
        viewsets = {prefix: viewset for prefix, viewset, _ in router.registry}
        if resource not in viewsets:
            raise CommandError(f"No resource {resource!r}. Choose from: {', '.join(sorted(viewsets))}.")
        shape = {name: comma_list(options[name]) for name in ("fields", "omit", "expand")}
        try:
            plan = resource_plan(viewsets[resource], **shape)
        except ValidationError as error:
            problems = [f"{name}: {message}" for name, messages in error.detail.items() for message in messages]
            raise CommandError(" ".join(problems)) from error
        asked = ", ".join(f"{name}={','.join(names)}" for name, names in shape.items() if names) or "the default"
        self.stdout.write(f"Shape: {asked}.")
        self.stdout.write("\n".join(explained(resource, viewsets[resource], plan)))
