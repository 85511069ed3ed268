"""Export the whole catalogue as one JSON document and import it into an empty database.

The format is the contract in docs/catalogue-format.md. One job per module:
`layout` names the keys of each record, `values` writes and reads money, dates
and date-times, `exporter` builds the document, `reader` loads a file,
`validation` checks a document completely before anything is written, and
`importer` writes it in one transaction.
"""

FORMAT = "evidence-store-catalogue"
VERSION = 2
# Version 1 files (before published versions) still import: see importer.py.
READABLE_VERSIONS = (1, 2)
