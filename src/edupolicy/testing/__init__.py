"""Testing support: the pytest plugin that runs case tables (:mod:`edupolicy.testing.plugin`).

Installing edupolicy registers the plugin with pytest (entry point ``pytest11``,
name ``edupolicy``); nothing needs importing.  With ``PYTEST_DISABLE_PLUGIN_AUTOLOAD``
set, load it with ``-p edupolicy.testing.plugin``.
"""
