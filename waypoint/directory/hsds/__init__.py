"""Open Referral HSDS 3.0: the directory as HSDS JSON and tabular data.

``mapping`` says which model field is which HSDS field and turns objects into
HSDS dictionaries; ``importer`` reads HSDS JSON or a tabular data package into
the directory; ``exporter`` writes the public directory back out.
"""
