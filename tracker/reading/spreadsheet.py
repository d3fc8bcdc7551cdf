"""Text a spreadsheet would run as a formula, made inert.

Excel, LibreOffice and Google Sheets run a cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)``, ``-2+3+cmd|' /C
calc'!A0``), and some also after a leading tab or carriage return. Every CSV
this project writes neutralizes its text cells by this one rule: the API's
(``neutralize`` in Python, or its SQL twin ``tracker_csv_text``, generated from
these constants by tracker/reading/sql.py), the admin's export and the release's.
Such a cell gets a leading ``'``, which spreadsheets show as text. Numbers and
dates are written as they are (a negative amount or longitude stays a number):
the caller decides which cells are text.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
INERT = "'"  # the one character put in front of such a cell (tracker/reading/sql.py writes it in SQL too)


def neutralize(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    return INERT + text if text.startswith(FORMULA_PREFIXES) else text


def restore(text: str) -> str:
    """The inverse of ``neutralize``, for a file read back in (the admin's CSV import)."""
    return text[1:] if text.startswith(INERT) and text[1:].startswith(FORMULA_PREFIXES) else text
