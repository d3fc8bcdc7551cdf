from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class FormatFirstNegotiation(DefaultContentNegotiation):
    """An explicit ``format=`` wins over the Accept header.

    Spreadsheet and notebook clients often send ``Accept: application/json``
    whatever link they follow; ``?format=csv`` should still give CSV.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if fmt is not None:
            for renderer in renderers:
                if renderer.format == fmt:
                    return renderer, renderer.media_type
            choices = ", ".join(renderer.format for renderer in renderers)
            raise ValidationError({"format": [f"Unknown format {fmt!r}. Choose one of: {choices}."]})
        return super().select_renderer(request, renderers, format_suffix)
