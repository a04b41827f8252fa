"""``edupolicy serve``: the HTTP service (:mod:`edupolicy.server`) under uvicorn.

The regions are checked here first, so that a region that cannot be loaded is one
``error:`` line (status 2) rather than a failed start.  Then uvicorn runs the
application factory ``edupolicy.server:app_from_environ`` by name, with the options
passed in ``EDUPOLICY_SERVER_*`` environment variables: every worker process imports
the factory and loads the policies itself, one set per process.  The command line does
not import the server package (the two are interfaces side by side), and the
``server`` extra it needs is looked for before anything else: without it, the command
says how to install it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from collections.abc import Callable, Mapping
from typing import Final

import edupolicy
from edupolicy.cli._io import EXIT_OK, Context
from edupolicy.cli._options import Options, Subcommands
from edupolicy.errors import EdupolicyError
from edupolicy.i18n import _

__all__ = ["FACTORY", "UVICORN_LIMITS", "add_serve_command", "serve_environment"]

#: The application factory uvicorn imports in each worker.
FACTORY = "edupolicy.server:app_from_environ"

#: The packages of the ``server`` extra.
_EXTRA = ("starlette", "uvicorn")

#: What uvicorn is told, beside the address and the workers: its own limits, for what
#: it answers itself before the service sees a request (docs/server.md lists them).
#: ``http``: the HTTP implementation whose limits these are.
#: ``h11_max_incomplete_event_size``: the largest request line and headers, in bytes;
#: a larger head is answered 400 by uvicorn.  ``limit_concurrency``: connections and
#: requests at once, per worker; past it, uvicorn answers 503.  ``backlog``: the
#: connections the system queues before they are accepted.  ``timeout_keep_alive``:
#: seconds an idle connection is kept.  ``timeout_graceful_shutdown``: seconds the
#: requests under way have to finish when the server is stopped.
UVICORN_LIMITS: Final[Mapping[str, object]] = {
    "http": "h11",
    "h11_max_incomplete_event_size": 64 * 1024,
    "limit_concurrency": 256,
    "backlog": 1024,
    "timeout_keep_alive": 5,
    "timeout_graceful_shutdown": 30,
}


def add_serve_command(sub: Subcommands, options: Options) -> None:
    """Add ``serve`` to the subparsers ``sub``."""
    t = options.t
    serve = options.command(
        sub, "serve", _("serve the regions' policies over HTTP (needs the server extra)")
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help=t(_("address to listen on (default: 127.0.0.1)"))
    )
    serve.add_argument(
        "--port", type=_whole(options, 0), default=8000, help=t(_("port (default: 8000)"))
    )
    serve.add_argument(
        "--workers",
        type=_whole(options, 1),
        default=1,
        metavar="N",
        help=t(_("worker processes, each with its own copy of the policies (default: 1)")),
    )
    serve.add_argument(
        "--region",
        action="append",
        metavar="REGION",
        help=t(_("a region to serve; may be repeated (default: every installed region)")),
    )
    serve.add_argument(
        "--max-body",
        type=_whole(options, 1),
        metavar="BYTES",
        help=t(_("largest request body, and line of a roster (default: 1 MiB)")),
    )
    serve.add_argument(
        "--max-roster",
        type=_whole(options, 1),
        metavar="BYTES",
        help=t(_("largest roster body (default: 64 MiB)")),
    )
    serve.set_defaults(func=run_serve)


def _whole(options: Options, minimum: int) -> Callable[[str], int]:
    def read(text: str) -> int:
        if not text.isdigit() or int(text) < minimum:
            raise argparse.ArgumentTypeError(
                options.t(_("must be a whole number, {minimum} or more", minimum=str(minimum)))
            )
        return int(text)

    return read


def serve_environment(
    regions: list[str] | None, max_body: int | None, max_roster: int | None
) -> dict[str, str]:
    """The ``EDUPOLICY_SERVER_*`` variables that tell each worker what to serve."""
    env = {"EDUPOLICY_SERVER_REGIONS": ",".join(regions or [])}
    if max_body is not None:
        env["EDUPOLICY_SERVER_MAX_BODY"] = str(max_body)
    if max_roster is not None:
        env["EDUPOLICY_SERVER_MAX_ROSTER"] = str(max_roster)
    return env


def run_serve(args: argparse.Namespace, ctx: Context) -> int:
    """Check the extra and the regions, then run the service until it is stopped."""
    locale = ctx.locale
    missing = [name for name in _EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        raise EdupolicyError(
            _(
                "edupolicy serve needs the server extra, which is not installed (missing: "
                "{missing}); install it with: pip install 'edupolicy[server]'",
                missing=", ".join(missing),
            ),
            locale=locale,
        )
    regions: list[str] | None = args.region
    if regions is None:
        if not edupolicy.regions():
            raise EdupolicyError(_("No regions are installed."), locale=locale)
    else:
        for region in regions:
            edupolicy.load(region, locale=locale)  # a region asked for must load
    import uvicorn  # the server extra, found above

    os.environ.update(serve_environment(regions, args.max_body, args.max_roster))
    uvicorn.run(
        FACTORY,
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        **UVICORN_LIMITS,  # type: ignore[arg-type]
    )
    return EXIT_OK
