import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
application = get_wsgi_application()

# A serving process's collector. The loaded code and settings are frozen out of every collection: with
# Python's defaults, each full collection walked them again (~70 ms, a few times in 3,000 requests). Young
# collections wait for 5,000 new objects instead of 700: a page of letters with its 2,500 recipients
# makes tens of thousands that reference counting frees anyway. Measured in process over 3,000 small
# requests and 30 pages of letters: 356 ms of collection, longest pause 72 ms, with the defaults; 182 ms,
# longest 12 ms, with these. A far larger threshold was worse (50,000: 474 ms, pauses of 60 ms).
gc.freeze()
gc.set_threshold(5_000, 10, 10)
