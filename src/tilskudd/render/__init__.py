"""The terminal view (rich): the award table, the budget check and the check report.

The only package besides :mod:`tilskudd.cli` that imports rich. Words come from
:mod:`tilskudd.wording` and figures from :mod:`tilskudd.summary`, so the terminal says what the
files say. Every function prints to a given ``rich.console.Console``: colours on a terminal,
plain text when the output is a file or a pipe.
"""
