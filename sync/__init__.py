"""Everything that takes a returned file in: discover, open safely, identify, parse by the
contract, validate, merge into the ledger, archive or quarantine.

Knows nothing about writing workbooks.
"""
