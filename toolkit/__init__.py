"""mentorkit: run an M&E mentoring and coaching programme through offline Excel workbooks.

The package ``toolkit`` is the domain (models, framework content, the workbook contract, the
ledger, indicators and the CLI); ``builders`` writes workbooks; ``sync`` takes returned files in.
"""

__version__ = "0.1.0"
