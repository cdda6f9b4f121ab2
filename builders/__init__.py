"""Everything that writes a workbook: pair workbooks, the master workbook, the roster template.

Writes with XlsxWriter (in memory, deterministic); knows nothing about reading returned files.
"""
