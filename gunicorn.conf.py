"""gunicorn's settings for the tracker; gunicorn reads this file from the directory it starts in.

gunicorn answers some malformed requests itself, before Django sees them, in
its own plain-text page rather than the API's JSON: a request line (method,
path and query) over ``limit_request_line`` bytes is a 400, more than
``limit_request_fields`` headers or one over ``limit_request_field_size``
bytes is a 431. The limits here are gunicorn's largest (8190 bytes): a URL
that fits is answered by the API, in JSON (a parameter over 1,000 characters
is its 400). A proxy in front usually has lower limits of its own.
"""

limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
