"""``python -m edupolicy.cli``: the ``edupolicy`` command line."""

from edupolicy.cli import run

run()
