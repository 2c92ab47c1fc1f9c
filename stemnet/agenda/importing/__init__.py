"""Bulk import of activities from CSV or XLSX: parse, dry run, then write in the background.

How it works
------------
1. ``activity_import_start`` reads the uploaded file in the request (CSV in UTF-8 with or
   without BOM, or Windows-1252, ``;``/``,``/tab sniffed; XLSX: first sheet, header in row 1),
   stores the rows as strings in a ``core.Job`` (``Job.result["rows"]``) and enqueues the
   ``import_activities`` task. No file is kept on disk.
2. The task first runs the *dry run*: every row is converted and validated by exactly the
   service validation (``services.activity_validate`` and the publish check), nothing is
   written. ``Job.errors`` gets one ``RowError`` per problem (row number as the spreadsheet
   shows it: the header is row 1; column; reason in the uploader's language) and
   ``Job.result["counts"]`` how many rows would create or change an activity.
3. The user confirms: "all rows" (only possible without errors) or "only the valid rows". The
   task runs again in import mode:

   * ``all``: a checking pass with visible progress (nothing written; it catches anything
     changed since the dry run), then *every* row is written inside ONE database
     transaction. If any row fails, the transaction is rolled back and nothing is written.
     Progress updates inside that transaction would be invisible to the polling page (other
     connections cannot see uncommitted rows), so the page shows the checking progress and
     then "saving"; the job is done when the transaction has committed.
   * ``valid``: rows are written in chunks of ``CHUNK`` rows, one transaction per chunk, and
     the progress is saved after each chunk. A row that fails is reported and skipped.

A row with an ``external_id`` that matches an activity this organisation imported before
updates that activity (its sessions are replaced by those in the file); otherwise a new draft
(or published) activity is created. External ids are stored per organisation
(``<organisation id>:<your id>``), so two organisations can both use "1".
"""

from stemnet.agenda.importing.columns import (
    COLUMN_NAMES,
    COLUMNS,
    EXAMPLE_ROW,
    REQUIRED_COLUMNS,
    template_csv,
    template_xlsx,
)
from stemnet.agenda.importing.jobs import (
    CHUNK,
    JOB_KIND,
    activity_import_confirm,
    activity_import_run,
    activity_import_start,
)
from stemnet.agenda.importing.reading import MAX_BYTES, MAX_ROWS, read_rows
from stemnet.agenda.importing.rows import (
    Planner,
    RowError,
    RowPlan,
    convert_row,
    external_key,
    parse_sessions,
    write_row,
)

__all__ = [
    "CHUNK",
    "COLUMNS",
    "COLUMN_NAMES",
    "EXAMPLE_ROW",
    "JOB_KIND",
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "Planner",
    "RowError",
    "RowPlan",
    "activity_import_confirm",
    "activity_import_run",
    "activity_import_start",
    "convert_row",
    "external_key",
    "parse_sessions",
    "read_rows",
    "template_csv",
    "template_xlsx",
    "write_row",
]
