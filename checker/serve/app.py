"""`xxgk serve`: a page on the clerk's own machine. Drop a report, see what to fix.

A Starlette app (the optional extra `xxgk-checker[serve]`). The API is the CLI's, over HTTP:
`POST /api/check` returns exactly `xxgk check --format json` for the uploaded file, `GET
/api/rules` exactly `xxgk rules --format json`. The page posts to `/api/page`, which adds the
audit's report page for the file (one renderer for both). Safety: requests must name the bound
host (DNS rebinding), bodies are capped while they are read, uploads live in memory or a private
spool and go with the response, no client-supplied path touches the disk, every page has a CSP,
and a malformed request is a 4xx with a message — never a traceback."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from checker import __version__
from checker.years import FIRST_TEMPLATE_YEAR, FIRST_YEAR, LAST_YEAR, year_ok

MAX_BODY = 64 * 1024 * 1024 + 1024 * 1024  # the largest report ingest accepts, plus the form's own bytes
_PAGE = Path(__file__).resolve().parent / "page.html"


class BodyTooLarge(Exception):
    pass


class LimitBody:
    """ASGI middleware: a body larger than the cap is refused (413) as it arrives, before the
    multipart parser spools it anywhere."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _error(413, "上传的文件过大（上限 64 MB）")(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _error(413, "上传的文件过大（上限 64 MB）")(scope, receive, send)


class AllowedHosts(TrustedHostMiddleware):
    """Starlette's host check (DNS rebinding), answering in Chinese and in the API's JSON."""

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket") and not self.allow_any:
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").split(":")[0]
            if not any(
                host == pattern or (pattern.startswith("*") and host.endswith(pattern[1:]))
                for pattern in self.allowed_hosts
            ):
                return await _error(400, "请求的主机名不是本服务的地址：请用启动时显示的地址访问")(scope, receive, send)
        return await self.app(scope, receive, send)


class SameOrigin:
    """ASGI middleware: a request that changes something (POST) must come from this server's own
    page. A page on another site the clerk happens to visit could otherwise make the browser send
    files to the local server: the browser says where a request comes from (Sec-Fetch-Site,
    Origin), and a request from elsewhere is refused (403) before its body is read."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("method") not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(scope.get("headers") or [])
            site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
            origin = headers.get(b"origin", b"").decode("latin-1")
            host = headers.get(b"host", b"").decode("latin-1")
            foreign = site in ("cross-site", "same-site") or (
                origin and origin != "null" and urlsplit(origin).netloc.lower() != host.lower()
            )
            if foreign or origin == "null":
                return await _error(403, "拒绝来自其他网站的请求：请在本服务自己的页面上传报告")(scope, receive, send)
        return await self.app(scope, receive, send)


class Guard:
    """ASGI middleware: the access control a 政务公开办 can set up without an identity system —
    the networks allowed to use the service, and a shared token (given once in the address,
    ?token=…, then kept in a cookie of this site). Refusals in Chinese; the token never reaches
    the access log (which logs no query string)."""

    COOKIE = "xxgk_token"

    def __init__(self, app, token: str | None = None, allow: tuple = ()):
        self.app, self.token, self.allow = app, token, allow

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or (not self.token and not self.allow):
            return await self.app(scope, receive, send)
        import ipaddress
        from http.cookies import SimpleCookie
        from urllib.parse import parse_qs

        client = (scope.get("client") or ("", 0))[0]
        if self.allow:
            try:
                address = ipaddress.ip_address(client)
            except ValueError:
                address = None
            if address is None or not any(address in network for network in self.allow):
                return await _error(403, "本服务只对指定的网络开放，您所在的网络不在其中")(scope, receive, send)
        if not self.token:
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
        cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
        kept = cookie[self.COOKIE].value if self.COOKIE in cookie else ""
        import hmac

        if not (hmac.compare_digest(given, self.token) or hmac.compare_digest(kept, self.token)):
            return await _error(401, "需要访问口令：请使用管理员提供的完整地址（含 token=…）打开本页")(
                scope, receive, send
            )
        if given:  # the first visit by the full address: keep the token for the page's own requests

            async def with_cookie(message):
                if message["type"] == "http.response.start":
                    message.setdefault("headers", []).append(
                        (b"set-cookie", f"{self.COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode())
                    )
                await send(message)

            return await self.app(scope, receive, with_cookie)
        return await self.app(scope, receive, send)


class AccessLog:
    """ASGI middleware: one line per request — time, client, method, path, status, milliseconds,
    bytes sent. No query string, no file name, nothing of a report's content."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        import logging
        import time

        started, seen = time.monotonic(), {"status": 0, "bytes": 0}

        async def counted(message):
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counted)
        finally:
            client = (scope.get("client") or ("-", 0))[0]
            logging.getLogger("xxgk.access").info(
                "%s %s %s %d %.0fms %dB",
                client,
                scope.get("method"),
                scope.get("path"),
                seen["status"],
                (time.monotonic() - started) * 1000,
                seen["bytes"],
            )


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _csp_page() -> tuple[str, str]:
    """The page, and its CSP: the one inline script allowed by its hash, nothing from the network."""
    html = _PAGE.read_text(encoding="utf-8")
    script = html.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    policy = (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; connect-src 'self'; "
        "img-src data:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return html, policy


_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _options(form) -> dict:
    """year and agency_kind from the form, validated; 400 with the reason otherwise."""
    out = {}
    year = (form.get("year") or "").strip() if isinstance(form.get("year", ""), str) else None
    if year is None:
        raise HTTPException(400, "year 应为文字")
    if year:
        if not year_ok(year):
            raise HTTPException(400, f"year 应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的年份，写的是「{year[:20]}」")
        out["year"] = int(year)
    kind = form.get("agency_kind") or ""
    if kind:
        from checker.api import AGENCY_KINDS

        if kind not in AGENCY_KINDS:
            raise HTTPException(400, f"agency_kind 应为 {'、'.join(AGENCY_KINDS)} 之一")
        out["agency_kind"] = kind
    return out


async def _upload(request: Request):
    """The uploaded file's bytes and a safe display name (never used as a path)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "请以 multipart/form-data 上传，文件放在字段 file 中")
    try:
        form = await request.form(max_files=1, max_fields=8)
    except BodyTooLarge:
        raise
    except Exception:  # the multipart parser's many errors: the request is malformed
        raise HTTPException(400, "无法解析上传的表单（multipart 格式有误）") from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(400, "缺少文件：请在字段 file 中上传报告（txt、md、html、docx、pdf）")
        name = PurePath((upload.filename or "report").replace("\\", "/")).name[:200] or "report"
        data = await upload.read()
        return data, name, _options(form)
    finally:
        await form.close()  # the spool goes with the request


_LIMITERS: dict = {}  # one per event loop
WORKERS = 2  # checks at once: a PDF, a scan or a conversion waits on its sandboxed reader, not the GIL
QUEUE = 64  # checks that may wait for a worker (a county's clerks at once); past that, 503


QUEUED_BYTES = 256 * 1024 * 1024  # uploads held in memory while they wait or are checked; past that, 503
_queued = [0]


def _limiter(workers: int):
    import asyncio

    import anyio

    loop = id(asyncio.get_running_loop())
    limiter = _LIMITERS.get(loop)
    if limiter is None:
        limiter = _LIMITERS[loop] = anyio.CapacityLimiter(workers)
    return limiter


def load(workers: int) -> dict:
    """What the server is doing, for /api/health: checks running and waiting, bytes held."""
    try:
        stats = _limiter(workers).statistics()
    except RuntimeError:  # no event loop: nothing runs
        return {"workers": workers, "busy": 0, "waiting": 0, "queued_bytes": _queued[0]}
    return {
        "workers": workers,
        "busy": stats.borrowed_tokens,
        "waiting": stats.tasks_waiting,
        "queued_bytes": _queued[0],
    }


async def _in_worker(func, *args, size: int = 0, request: Request | None = None, workers: int | None = None):
    """The check in a worker thread, `workers` at a time: the event loop stays free for the page
    and the health check, one slow upload (OCR, a conversion — bounded by ingest.sandbox) does not
    hold every clerk, and a crowd past the queue's bound is told to come back (503). When the
    client goes away (the clerk cancelled, closed the page), the check is called off: its sandboxed
    reader — Tesseract, LibreOffice — is killed, and the worker is free for the next."""
    import threading

    import anyio

    from checker.ingest import sandbox

    limiter = _limiter(workers if workers is not None else WORKERS)
    busy = limiter.statistics()
    if (busy.borrowed_tokens >= limiter.total_tokens and busy.tasks_waiting >= QUEUE) or _queued[
        0
    ] + size > QUEUED_BYTES:
        raise HTTPException(503, "服务器正忙：正在检查的报告较多，请稍后重试")
    _queued[0] += size
    gone = threading.Event()

    def run():
        with sandbox.cancellable(gone):
            return func(*args)

    async def watch(scope):
        while request is not None and not await request.is_disconnected():
            await anyio.sleep(0.5)
        gone.set()
        scope.cancel()

    try:
        async with anyio.create_task_group() as group:
            if request is not None:
                group.start_soon(watch, group.cancel_scope)
            try:
                result = await anyio.to_thread.run_sync(run, limiter=limiter, abandon_on_cancel=True)
            except sandbox.Cancelled:
                raise HTTPException(499, "检查已取消") from None
            group.cancel_scope.cancel()
        if gone.is_set():
            raise HTTPException(499, "检查已取消")
        return result
    finally:
        gone.set()  # a check still running in its thread stops at its next bounded reader
        _queued[0] -= size


def _check(data: bytes, name: str, options: dict):
    from checker import pipeline
    from checker.engine.rules import builtin_rules
    from checker.facts import Overrides

    return pipeline.check_one(
        data, name, Overrides(options.get("year"), None, options.get("agency_kind")), builtin_rules()
    )


async def check(request: Request) -> Response:
    from checker.formats import jsonfmt

    data, name, options = await _upload(request)
    result = await _in_worker(_check, data, name, options, size=len(data), request=request, workers=_workers(request))
    return Response(jsonfmt.render([result]), media_type="application/json", headers=_HEADERS)


def _workers(request: Request) -> int:
    return getattr(request.app.state, "workers", WORKERS)


def _fixed(data: bytes, name: str, options: dict):
    """The check, and the file with what --fix corrects corrected (or why it cannot be)."""
    from checker import fixes

    result = _check(data, name, options)
    try:
        done = fixes.corrected(result, data) if result.source is not None else None
    except fixes.CannotFix as error:
        return result, None, str(error)
    return result, done, None


async def fix(request: Request) -> Response:
    """The uploaded file with what `xxgk check --fix` corrects corrected, as a download named after
    it (报告.fixed.docx); the list of changes in the X-Xxgk-Fixes header (JSON, percent-encoded).
    The server keeps nothing: the page sends the file again."""
    from urllib.parse import quote

    from checker.fixes import fixed_name

    data, name, options = await _upload(request)
    result, done, why = await _in_worker(
        _fixed, data, name, options, size=len(data), request=request, workers=_workers(request)
    )
    if done is None:
        raise HTTPException(422, why or "这个文件没有可自动修正的问题")
    new, applied = done
    target = fixed_name(Path(name)).name
    changes = [{"code": item.code, "where": item.where, "what": item.what} for item in applied]
    return Response(
        new,
        media_type="application/octet-stream",
        headers={
            **_HEADERS,
            "Content-Disposition": f"attachment; filename=\"fixed{Path(name).suffix}\"; filename*=UTF-8''{quote(target)}",
            "X-Xxgk-Fixes": quote(json.dumps(changes, ensure_ascii=False)),
        },
    )


async def page_for(request: Request) -> Response:
    """For the page: the same JSON, the audit's report page for the file, and what the
    template download needs (the detected year and agency kind)."""
    from checker.audit import score
    from checker.audit.report import report_page
    from checker.audit.summary import summarize
    from checker.engine.rules import builtin_rules, rule_for
    from checker.formats import jsonfmt

    data, name, options = await _upload(request)
    result, done, why = await _in_worker(
        _fixed, data, name, options, size=len(data), request=request, workers=_workers(request)
    )
    deadline = rule_for(builtin_rules(), "deadline")
    summary = summarize(result, deadline.params if deadline else None)
    summary.score = score.score(summary.findings, score.load())
    facts = result.facts
    payload = {
        "findings": json.loads(jsonfmt.render([result])),
        "html": report_page(summary, standalone=True),
        "year": facts.year if facts else None,
        "agency_kind": facts.agency_kind if facts else "unknown",
        # what the corrected copy would change (the page offers it for download), or why not
        "fixes": [{"code": f.code, "where": f.where, "what": f.what} for f in done[1]] if done else [],
        "fix_refused": why,
    }
    return JSONResponse(payload, headers=_HEADERS)


async def rules(request: Request) -> Response:
    from checker.engine.rules import builtin_rules
    from checker.formats.rules_doc import as_json

    return Response(as_json(builtin_rules()), media_type="application/json", headers=_HEADERS)


async def template(request: Request) -> Response:
    """The blank official report for a year and agency kind, as md or docx."""
    from checker.formats.template import render

    year = request.query_params.get("year", "")
    kind = request.query_params.get("agency_kind", "unknown")
    fmt = request.query_params.get("format", "docx")
    if not year_ok(year, FIRST_TEMPLATE_YEAR):
        raise HTTPException(400, f"year 应为 {FIRST_TEMPLATE_YEAR} 至 {LAST_YEAR} 之间的年份")
    from checker.api import AGENCY_KINDS

    if kind not in AGENCY_KINDS or fmt not in ("md", "docx"):
        raise HTTPException(400, f"agency_kind 应为 {'、'.join(AGENCY_KINDS)} 之一，format 应为 md 或 docx")
    markdown = render(int(year), kind)
    filename = f"{year}年政府信息公开工作年度报告（模板）.{fmt}"
    disposition = f"attachment; filename=\"template.{fmt}\"; filename*=UTF-8''{_quote(filename)}"
    if fmt == "md":
        return Response(
            markdown,
            media_type="text/markdown; charset=utf-8",
            headers={**_HEADERS, "Content-Disposition": disposition},
        )
    import io

    from checker.formats.docx_writer import build

    buffer = io.BytesIO()
    build(markdown).save(buffer)
    return Response(
        buffer.getvalue(),
        headers={**_HEADERS, "Content-Disposition": disposition},
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


async def health(request: Request) -> Response:
    """For monitoring: alive, and how loaded (checks running, waiting, bytes held)."""
    return JSONResponse(
        {"status": "ok", "tool": "xxgk-checker", "version": __version__, "load": load(_workers(request))},
        headers=_HEADERS,
    )


def create_app(
    host: str = "127.0.0.1",
    max_body: int = MAX_BODY,
    workers: int | None = None,
    token: str | None = None,
    allow: tuple = (),
) -> Starlette:
    """The app; `workers` checks at once, an optional shared `token` and allowed networks."""
    html, policy = _csp_page()

    async def index(request: Request) -> Response:
        return HTMLResponse(html, headers={**_HEADERS, "Content-Security-Policy": policy, "X-Frame-Options": "DENY"})

    async def http_error(request: Request, error: HTTPException) -> Response:
        return _error(error.status_code, str(error.detail))

    async def internal(request: Request, error: Exception) -> Response:
        return _error(500, "服务内部错误，请重试；若一再出现请报告问题")

    allowed = (
        ["*"]
        if host in ("0.0.0.0", "::", "")
        else sorted({host, "127.0.0.1", "localhost", "[::1]"} if host in ("127.0.0.1", "localhost", "::1") else {host})
    )
    routes = [
        Route("/", index),
        Route("/api/check", check, methods=["POST"]),
        Route("/api/page", page_for, methods=["POST"]),
        Route("/api/fix", fix, methods=["POST"]),
        Route("/api/rules", rules),
        Route("/api/template", template),
        Route("/api/health", health),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(AccessLog),
            Middleware(Guard, token=token, allow=tuple(allow)),
            Middleware(AllowedHosts, allowed_hosts=allowed),
            Middleware(SameOrigin),
            Middleware(LimitBody, limit=max_body),
        ],
        exception_handlers={HTTPException: http_error, Exception: internal},
    )
    app.state.workers = workers if workers is not None else WORKERS
    return app
