"""The policy workbench: web pages for policy staff, served by ``edupolicy serve`` at ``/``.

Five tasks, each a page of a region: the plan read beside its rules, a student or a
teacher tried, case tables run, a what-if change costed on a roster, and the audit.
The pages are rendered on the server (Jinja2 templates, inline SVG charts, no script
and nothing fetched from elsewhere) from the same policies, readers and questions as
the command line and the HTTP service.  ``docs/workbench.md`` describes them.
"""

from edupolicy.web.app import Backend, workbench_routes

__all__ = ["Backend", "workbench_routes"]
