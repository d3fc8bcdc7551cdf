"""Each recipient as a letter shows it, kept by PostgreSQL as JSON (``LetterRecipient.stored_shown``): the
trigger functions generated from ``LetterRecipientSerializer`` (tracker/reading/sql.py). Migration 0010 made
the column and the triggers on the recipients' own tables; the newest migration that installs them holds their
text (tests/test_generated_sql.py)."""

from letters.serializers import LetterRecipientSerializer
from tracker.reading.sql import StoredJSON

RECIPIENT = StoredJSON(
    serializer=LetterRecipientSerializer,
    written="letters_recipient_written",
    reshown="letters_recipients_reshown",
    sources_edited="letters_cited_source_edited",
    sources_added="letters_cited_source_added",
    links_edited={"jurisdiction": "letters_recipient_place_edited"},
    links_added={"jurisdiction": "letters_recipient_place_added"},
)
