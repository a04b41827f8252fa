"""The workbench's pages: routes over the policies the HTTP service has loaded.

:func:`workbench_routes` gives the routes that ``edupolicy serve`` mounts beside its
operations, at ``/``.  Every page is rendered on the server from a Jinja2 template, in
the language of ``?lang=`` (``zh_CN`` or ``en``) or else of the ``Accept-Language``
header; the readings chosen travel in the address as ``reading=ID=CHOICE``, as they do
in the HTTP API.  Nothing a user sends is written to disk or kept after the answer.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from urllib.parse import urlencode

import attrs
import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from edupolicy.analysis.audit import Finding
from edupolicy.cases import read_case_data
from edupolicy.cases.templates import case_template, write_case_template
from edupolicy.errors import EdupolicyError, FieldProblem, InvalidDataError
from edupolicy.i18n import (
    DEFAULT_LOCALE,
    Message,
    _,
    format_money,
    render,
    supported_locale,
)
from edupolicy.io import json_schema
from edupolicy.io.changefiles import read_change_file_text
from edupolicy.io.records import Entry
from edupolicy.plans import Plan
from edupolicy.plugins.registry import Registry
from edupolicy.policy import Policy
from edupolicy.policy.arguments import as_date, not_a_reading, reading_written
from edupolicy.policy.questions import QUESTIONS, Asked, Question
from edupolicy.web.changeform import change_file
from edupolicy.web.forms import ROWS, fields, record_of
from edupolicy.web.impact import CHANGE_FILE, impact, roster_of
from edupolicy.web.plantext import KINDS, PlanText, by_kind, cited, own, read_text
from edupolicy.web.uploads import Form, Upload, read_form
from edupolicy.web.words import Words, field_label, value_label

__all__ = ["Backend", "workbench_routes"]

#: How many answers of the audit are kept, per process.
_KEPT: Final = 32
_MIB: Final = 1024 * 1024


@attrs.frozen(kw_only=True)
class Backend:
    """What the workbench asks of the service that serves it."""

    #: The policies loaded, by region (empty until they are).
    policies: Callable[[], Mapping[str, Policy]]
    #: A region's policy read under readings (reading id → choice id), made once and kept.
    under: Callable[[str, Mapping[str, str]], Policy]
    #: Where the regions were found: their plugins' specs (the plans' texts).
    registry: Callable[[], Registry]
    #: The locale an ``Accept-Language`` header asks for.
    negotiate: Callable[[str | None], str]
    #: The questions answered (the core's and the plugins'): those asked about one
    #: record are the ones a record can be tried with.
    questions: Sequence[Question] = QUESTIONS
    #: The largest upload read, in bytes.
    upload_limit: int = 16 * _MIB


class PageError(Exception):
    """A page that cannot be shown: its status and the library's error."""

    def __init__(self, status: int, error: EdupolicyError) -> None:
        super().__init__(status)
        self.status = status
        self.error = error


@attrs.frozen(kw_only=True)
class View:
    """One request to a page of a region: its language, policy and readings."""

    request: Request
    locale: str
    region: str
    base: Policy
    policy: Policy
    readings: Mapping[str, str]
    plan: Plan

    def url(self, page: str, *, locale: str | None = None, keep: bool = True, **params: str) -> str:
        """The address of ``page`` of this region, in this language with these readings."""
        query: list[tuple[str, str]] = [("lang", locale or self.locale)]
        if keep:
            query += [("reading", f"{k}={v}") for k, v in sorted(self.policy.readings.items())]
            if len(self.base.plans) > 1:
                query.append(("plan", self.plan.id))
        query += list(params.items())
        return f"/{self.region}/{page}?{urlencode(query)}"


class Workbench:
    """The pages, their templates and what they keep (the plans' texts, the audits)."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("edupolicy.web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["money"] = _money
        self._lock = threading.Lock()
        self._audits: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[Finding, ...]] = {}

    # --- routes -------------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/", self.page(self.index), methods=["GET"], name="workbench"),
            Route("/{region}/plan", self.page(self.plan), methods=["GET"]),
            Route("/{region}/try", self.page(self.try_record), methods=["GET"]),
            Route("/{region}/cases", self.page(self.cases), methods=["GET", "POST"]),
            Route("/{region}/cases/template.xlsx", self.page(self.case_template), methods=["GET"]),
            Route("/{region}/what-if", self.page(self.whatif), methods=["GET", "POST"]),
            Route("/{region}/audit", self.page(self.audit), methods=["GET"]),
        ]

    def page(
        self, handler: Callable[[Request, str], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        """``handler`` with the request's locale, and every error shown as a page."""

        async def answer(request: Request) -> Response:
            locale = self.locale_of(request)
            try:
                return await handler(request, locale)
            except PageError as exc:
                return self.error_page(request, locale, exc)
            except EdupolicyError as exc:
                return self.error_page(request, locale, PageError(422, exc))

        return answer

    def locale_of(self, request: Request) -> str:
        asked = request.query_params.get("lang")
        found = supported_locale(asked) if asked else None
        if found is not None:
            return found
        return self.backend.negotiate(request.headers.get("accept-language"))

    def render(self, name: str, locale: str, status: int = 200, **context: Any) -> HTMLResponse:
        template = self.env.get_template(name)
        html = template.render(
            t=Words(locale),
            locale=locale,
            r=functools.partial(render, locale=locale),
            label=functools.partial(_label, locale=locale),
            field=functools.partial(field_label, locale=locale),
            **context,
        )
        return HTMLResponse(
            html,
            status_code=status,
            headers={"Content-Language": locale.replace("_", "-"), "Vary": "Accept-Language"},
        )

    def task(self, view: View, here: str, **context: Any) -> HTMLResponse:
        """The page of task ``here`` (its template ``here.html``) of ``view``'s region."""
        return self.render(
            f"{here}.html",
            view.locale,
            view=view,
            self_url=_switch(view.request),
            here=here,
            **context,
        )

    async def attempt(
        self, locale: str, function: Callable[..., Any], *args: Any
    ) -> tuple[Any, dict[str, Any] | None]:
        """``function(*args)`` in a worker thread: its answer, or the library's error as a
        page shows it."""
        try:
            return await run_in_threadpool(function, *args), None
        except EdupolicyError as exc:
            return None, _problem(exc, locale)

    def error_page(self, request: Request, locale: str, exc: PageError) -> HTMLResponse:
        return self.render(
            "error.html",
            locale,
            status=exc.status,
            view=None,
            problem=_problem(exc.error, locale),
            self_url=_switch(request),
        )

    # --- the view of a region -----------------------------------------------------------

    def view(self, request: Request, locale: str) -> View:
        region = request.path_params["region"]
        policies = self.backend.policies()
        base = policies.get(region)
        if base is None:
            raise PageError(
                404,
                InvalidDataError(
                    _("Unknown region"),
                    [FieldProblem("region", region, _served(policies))],
                    locale=locale,
                ),
            )
        readings = _readings(request.query_params.getlist("reading"), locale)
        policy = self.backend.under(region, readings) if readings else base
        plan_id = request.query_params.get("plan")
        plan = next((p for p in policy.plans if p.id == plan_id), policy.plans[0])
        return View(
            request=request,
            locale=locale,
            region=region,
            base=base,
            policy=policy,
            readings=policy.readings_of(plan),
            plan=plan,
        )

    def text_of(self, region: str, plan: Plan) -> PlanText | None:
        """The plan's text beside its items, if the region's plugin ships it."""
        return _text_of(self.backend.registry(), region, plan)

    def findings(self, view: View) -> tuple[Finding, ...]:
        key = (view.region, tuple(sorted(view.readings.items())))
        with self._lock:
            found = self._audits.get(key)
        if found is None:
            found = view.policy.check()
            with self._lock:
                if len(self._audits) >= _KEPT:
                    self._audits.clear()
                self._audits[key] = found
        return found

    # --- pages --------------------------------------------------------------------------

    async def index(self, request: Request, locale: str) -> Response:
        registry = self.backend.registry()
        served = self.backend.policies()
        regions = [info for info in registry.regions() if info.id in served]
        return self.render(
            "index.html",
            locale,
            view=None,
            regions=regions,
            policies=served,
            self_url=_switch(request),
        )

    async def plan(self, request: Request, locale: str) -> Response:
        view = self.view(request, locale)
        text = await run_in_threadpool(self.text_of, view.region, view.plan)
        items = cited(view.plan)
        return self.task(
            view,
            "plan",
            text=text,
            items=by_kind(items),
            kinds=KINDS,
            anchors={item.anchor: (text.sentence_of(item) if text else None) for item in items},
            inherited={item.anchor for item in items if not own(item, view.plan)},
        )

    async def try_record(self, request: Request, locale: str) -> Response:
        view = self.view(request, locale)
        questions = _record_questions(self.backend.questions)
        chosen = request.query_params.get("question", questions[0].id)
        asked = next((q for q in questions if q.id == chosen), questions[0])
        assert asked.subject is not None
        form_fields = fields(json_schema(asked.subject.schema))
        submitted = {k: request.query_params.getlist(k) for k in request.query_params}
        on = request.query_params.get("on") or view.plan.in_force.start.isoformat()
        answer: object = None
        problem: dict[str, Any] | None = None
        if request.query_params.get("ask"):
            record = record_of(submitted, form_fields)
            answer, problem = await self.attempt(locale, self._ask, view, asked, record, on)
        text = await run_in_threadpool(self.text_of, view.region, view.plan)
        return self.task(
            view,
            "try",
            questions=questions,
            asked=asked,
            fields=form_fields,
            form=submitted,
            rows=ROWS,
            on=on,
            answer=answer,
            problem=problem,
            text=text,
        )

    def _ask(self, view: View, asked: Question, record: Mapping[str, Any], on: str) -> object:
        params: dict[str, Any] = {"on": on}
        if any(p.name == "explain" for p in asked.params):
            params["explain"] = True
        return asked.ask(
            Asked(
                policy=view.policy,
                base=view.base,
                subject=record,
                params=params,
                locale=view.locale,
                readings=view.readings,
                other=lambda other: self.backend.under(other, view.readings),
            )
        )

    async def cases(self, request: Request, locale: str) -> Response:
        view = self.view(request, locale)
        outcomes: list[dict[str, Any]] | None = None
        problem: dict[str, Any] | None = None
        if request.method == "POST":
            form = await read_form(request, self.backend.upload_limit, locale)
            outcomes, problem = await self.attempt(locale, _run_cases, form, locale)
        return self.task(
            view,
            "cases",
            outcomes=outcomes,
            problem=problem,
            template_url=view.url("cases/template.xlsx", keep=False),
        )

    async def case_template(self, request: Request, locale: str) -> Response:
        """A student case table of the region to start from, as a workbook."""
        view = self.view(request, locale)
        day = view.plan.in_force.start
        data = await run_in_threadpool(_template_workbook, view.region, day, locale)
        return Response(
            data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": f'attachment; filename="test_{view.region}.cases.xlsx"'
            },
        )

    async def whatif(self, request: Request, locale: str) -> Response:
        view = self.view(request, locale)
        form = Form(fields={}, files={})
        result: dict[str, Any] | None = None
        problem: dict[str, Any] | None = None
        if request.method == "POST":
            form = await read_form(request, self.backend.upload_limit, locale)
            result, problem = await self.attempt(locale, self._whatif, view, form)
        return self.task(
            view,
            "what-if",
            form=form,
            result=result,
            problem=problem,
            on=form.get("on") or view.plan.in_force.start.isoformat(),
            rules=view.plan.aid.rules,
        )

    def _whatif(self, view: View, form: Form) -> dict[str, Any]:
        locale = view.locale
        on = as_day(form.get("on") or view.plan.in_force.start.isoformat(), locale)
        amounts = {
            key.removeprefix("amount."): values[0]
            for key, values in form.fields.items()
            if key.startswith("amount.") and values
        }
        reason = form.get("reason").strip() or Words(locale).whatif
        text = change_file(
            view.policy.plan_on(on, locale=locale),
            amounts,
            form.fields.get("remove", ()),
            form.get("add"),
            reason,
            locale=locale,
        )
        read = read_change_file_text(text, CHANGE_FILE, locale=locale)
        chosen = _readings(form.fields.get("reading", ()), locale)
        before = view.policy
        after = self.backend.under(view.region, {**before.readings, **chosen}) if chosen else before
        if read.changes or read.problems:
            after = after.with_changes(read, locale=locale)
        entries = self._roster(view, form)
        shown = text if read.changes else None
        return impact(before, after, entries, on, changes=shown, locale=locale)

    def _roster(self, view: View, form: Form) -> list[Entry]:
        upload = form.files.get("roster")
        if upload is not None:
            return roster_of(upload, view.locale)
        if form.get("sample"):
            sample = self.backend.registry().spec(view.region).sample_roster
            if sample is not None:
                return roster_of(Upload(sample.name, sample.read_bytes()), view.locale)
        raise EdupolicyError(_("Upload a roster, or choose the sample roster"), locale=view.locale)

    async def audit(self, request: Request, locale: str) -> Response:
        view = self.view(request, locale)
        findings = await run_in_threadpool(self.findings, view)
        text = await run_in_threadpool(self.text_of, view.region, view.plan)
        return self.task(
            view,
            "audit",
            findings=findings,
            text=text,
        )


@functools.lru_cache(maxsize=16)
def _text_of(registry: Registry, region: str, plan: Plan) -> PlanText | None:
    path = registry.spec(region).plan_texts.get(plan.id)
    if path is None:
        return None
    return read_text(path.read_text(encoding="utf-8"), plan)


def _record_questions(questions: Sequence[Question]) -> list[Question]:
    """The questions asked about one record whose schema is a form: aid, teacher."""
    return [q for q in questions if q.subject is not None and q.subject.shape == "object"]


def _readings(given: Sequence[str], locale: str) -> dict[str, str]:
    """The readings of ``reading=ID=CHOICE`` parameters, as the HTTP API takes them."""
    readings: dict[str, str] = {}
    problems: list[FieldProblem] = []
    for text in given:
        written = reading_written(text)
        if written is None:
            problems.append(FieldProblem("reading", text, not_a_reading(text)))
        else:
            readings[written[0]] = written[1]
    if problems:
        raise PageError(400, InvalidDataError(_("Invalid readings"), problems, locale=locale))
    return readings


def _template_workbook(region: str, day: _dt.date, locale: str) -> bytes:
    out = io.BytesIO()
    write_case_template(out, case_template(region, on=day, locale=locale))
    return out.getvalue()


def _run_cases(form: Form, locale: str) -> list[dict[str, Any]]:
    """Each case of an uploaded case table, run: its name, place, outcome and report
    (the pytest plugin's); the failed ones first, each group in the table's order."""
    upload = form.files.get("cases")
    if upload is None:
        raise EdupolicyError(_("Choose a case table to upload"), locale=locale)
    cases = read_case_data(upload.data, upload.name, locale=locale)
    found = []
    for case in cases:
        outcome = case.run(locale=locale)
        found.append(
            {
                "name": case.name,
                "location": case.location,
                "passed": outcome.passed,
                "report": outcome.report(locale),
            }
        )
    found.sort(key=lambda outcome: bool(outcome["passed"]))
    return found


def _problem(error: EdupolicyError, locale: str) -> dict[str, Any]:
    """An error of the library as a page shows it: its heading, and each bad field by
    path, value and message (or its whole text)."""
    problems = error.problems if isinstance(error, InvalidDataError) else ()
    return {
        "heading": error.message.render(locale),
        "problems": [p.to_json(locale) for p in problems],
        "text": error.render(locale),
    }


def _served(policies: Mapping[str, Policy]) -> Message:
    return _(
        "no such region; regions served: {regions}", regions=", ".join(sorted(policies)) or "-"
    )


def _switch(request: Request) -> Callable[[str], str]:
    """The address of this page in another language."""

    def switched(locale: str) -> str:
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        return f"{request.url.path}?{urlencode([('lang', locale), *query])}"

    return switched


def as_day(text: str, locale: str) -> _dt.date:
    """A date typed in a form, or the library's error naming ``on``."""
    return as_date(text, locale)


def _money(value: object, locale: str = DEFAULT_LOCALE) -> str:
    """An amount of the library's JSON (a string of yuan) in ``locale``."""
    if isinstance(value, str):
        try:
            return format_money(Decimal(value), locale)
        except InvalidOperation:
            return value
    return render(value, locale)


def _label(field: str, value: object, *, locale: str) -> str:
    return value_label(field, str(value), locale)


def workbench_routes(backend: Backend) -> list[BaseRoute]:
    """The routes of the workbench's pages, over what ``backend`` serves."""
    return Workbench(backend).routes()
