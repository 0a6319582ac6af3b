"""CSV files for spreadsheets: the one writer every export uses, safe against formula injection."""
import csv
import io
from decimal import Decimal

from flask import Response

# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...), +1+2, @SUM(1), -2+3);
# the full-width forms are converted to them by some spreadsheets' input methods.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
_NUMBERS = (int, float, Decimal)


def safe_cell(value):
    """Return a value as it should reach a spreadsheet: numbers stay numbers, text never becomes a formula.

    Following OWASP, text whose first character (after any spaces) could start a
    formula gets a leading apostrophe, which spreadsheets show as text. Only values
    that are numbers in Python stay numeric, so a count of -2 is still -2; text that
    looks like a number ("-5" typed as a name or a place) is text and gets the
    apostrophe too: what a person typed is never computed.
    """
    if isinstance(value, str):
        text = value
    elif value is None:
        return ""
    elif isinstance(value, _NUMBERS) and not isinstance(value, bool):
        return value
    else:
        text = str(value)
    if text and (text[0] in FORMULA_STARTS or text[0] == " " and text.lstrip(" ")[:1] in FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header, rows):
    """Return the CSV text of a header and rows, every cell made safe, with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(value) for value in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def csv_response(filename, header, rows):
    """Return a CSV download built by csv_text."""
    return Response(csv_text(header, rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
