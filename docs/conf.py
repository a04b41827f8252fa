"""Sphinx configuration: the Markdown pages of docs/ (MyST) as a site, built with -W.

The pages stay plain Markdown whose examples run as tests (``tests/test_docs.py`` and
pytest's ``--doctest-glob=*.md``); nothing here changes how they are written.  The
order of the pages is the hidden toctree of ``index.md``.  The API reference
(``reference/``) is generated from the code's docstrings and types by autodoc, and a
page per installed plan from its data by the ``edupolicy_plans`` extension (``_ext/``);
the tables of the questions a policy answers (a ```` ```{edupolicy-questions} SURFACE ````
block) from their declarations by the ``edupolicy_question_tables`` extension.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pygments.lexers.special import TextLexer
from sphinx.application import Sphinx

import edupolicy

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "edupolicy"
author = "The edupolicy developers"
copyright = "the edupolicy developers"
release = edupolicy.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "edupolicy_plans",
    "edupolicy_question_tables",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", ".DS_Store"]
language = "en"

# --- MyST -------------------------------------------------------------------------------

# Links such as ``rules.md#readings-where-the-plan-can-be-read-more-than-one-way`` name a
# heading by its GitHub-style slug; generate those anchors for headings down to ``####``.
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence"]
# A fence's info string is ``LANGUAGE [WORDS...]`` (```` ```toml file=plan.toml ````,
# ```` ```text pytest ARGS ````): MyST highlights by the first word and ignores the rest,
# which are the conventions tests/test_docs.py reads.

# --- autodoc ----------------------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
autodoc_default_options = {"members": True, "show-inheritance": False}

# --- nitpicky (-n) ----------------------------------------------------------------------

# The build runs with -n, so every cross-reference must resolve, except these:
nitpick_ignore_regex = [
    # The standard library: resolving it would need intersphinx, which fetches the Python
    # inventory over the network at every build; an offline build must not warn.
    (r"py:.*", r"(collections\.abc|datetime|decimal|pathlib|enum|os|typing)\..*"),
    (r"py:.*", r"importlib\.resources\.abc\..*"),
    # The same names, where a module imports importlib.resources only for the type checker
    # (a start does not import it) and autodoc shows the annotation as written.
    (r"py:class", r"Traversable|Path|ExtensionCondition"),
    # The columnar path's optional dependencies, for the same reason.
    (r"py:.*", r"(pyarrow|pandas|numpy|dask)(\..*)?"),
    (r"py:class", r"edupolicy\.columnar\.arrow\.Tabular"),
    # The layers below that the generated reference has no page for (the domains and the
    # rules engine, see architecture.md), and private helpers such as type variables.
    (r"py:.*", r"edupolicy\.(aid|goals|teachers|rules)(\..*)?"),
    (r"py:.*", r"edupolicy\.io\.convert(\..*)?"),
    (r"py:class", r"edupolicy\.analysis\.impact\.(BudgetTally|DiffTally)"),
    (r"py:.*", r"edupolicy\.(i18n|plugins\.manager)\._?[A-Z]\w*"),
    # Names that edupolicy's reference page documents under their public name.
    (r"py:class", r"edupolicy\.plans\.(Change|Plan)"),
    # Short names in docstrings that read well in the source (an attribute of the class
    # being described, the gettext function ``_``) but are not targets of their own.
    (
        r"py:.*",
        r"(MISSING|problems|available|Household\.value|Counting\.BY_KIND|SCHEMA_NAMES"
        r"|Plan|PlanLayer|build_on|_|T|_dt\.date|AidOutcome|IncentiveOutcome|RuralService)",
    ),
]

# --- HTML -------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"edupolicy {release}"
html_static_path: list[str] = []


def setup(app: Sphinx) -> None:
    # Case tables may be CSV (```` ```csv cases NAME ````); Pygments has no CSV lexer.
    app.add_lexer("csv", TextLexer)
