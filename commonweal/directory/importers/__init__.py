"""Import services into the directory from Open Referral feeds and files.

Three kinds of source are read into one shape (ORUK 3.0 "full" service records as plain dicts):
an ORUK 3.0 JSON file (``oruk_json``), an ORUK 3.0 API (``oruk_api``) and an HSDS 1.1 / ORUK v1
tabular data package (``hsds_tabular``). ``writer`` checks each record, reports every problem with
the file, row or JSON pointer and field it concerns, and writes through the directory's services.
"""

from __future__ import annotations
