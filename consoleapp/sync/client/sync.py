"""The sync loop: push the outbox in order, pull until caught up, listen for pokes (docs/ARCHITECTURE.md §4).

`SyncClient.run()` never raises (except when cancelled): a server that is down, slow, answers
5xx or garbage, or drops the stream mid-event only changes `status`; the outbox is kept and
the client backs off (exponential, with jitter) and recovers by itself.

Resets: when the server says `reset` (it was restored from a backup: a new epoch, or our
cursor is from its future) the cached state is dropped and pulled again from scratch; the
outbox stays. After every complete pull the server's `last_seq` for this client is compared
with what it processed before: commands above it were lost with the restore and are pushed
again with the same seq and command id.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import gc
import logging
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, TypeVar

import httpx
from httpx_sse import aconnect_sse
from pydantic import BaseModel, ValidationError

from consoleapp.engine.commands import Command
from consoleapp.engine.decide import decide
from consoleapp.engine.errors import DomainError
from consoleapp.engine.events import changes_of
from consoleapp.engine.policy import Policy
from consoleapp.engine.world import World
from consoleapp.store.codec import event_types, parse_json, write_json

from ..protocol import (
    MAX_COMMANDS_PER_PUSH,
    PULL_PAGE,
    SCHEMA_VERSION,
    PullRequest,
    PullResponse,
    PushedCommand,
    PushRequest,
    PushResponse,
)
from .cache import Cache, CommandResult, UnreadableChange, is_disk_refusal, normal_url
from .status import SyncStatus

log = logging.getLogger(__name__)

Changes = frozenset[str]
DATA = frozenset({"meetings", "requests", "history", "earnings", "claims", "availability", "offers", "profile",
                  "notifications"})
EVERYTHING: Changes = DATA | {"issues", "status"}

M = TypeVar("M", bound=BaseModel)
_CHANGE_KEYS = frozenset({"position", "kind", "ref", "at", "data"})



def kinds_of_event(kind: str) -> Changes:
    """What a pulled event changes, as its type declares it (`engine/events.py`); an event this
    version does not know may have changed anything."""
    found = event_types().get(kind)
    return frozenset(changes_of(found)) if found is not None else DATA


def kinds_of_command(command: Command, world: World, now: datetime, policy: Policy) -> Changes:
    """What a command changes: what the events it decides on the optimistic view declare. A
    command the view already refuses changes nothing there; the server's answer says the rest."""
    try:
        events = decide(world, command, now, policy)
    except DomainError:
        return frozenset()
    return frozenset().union(*(ev.changes for ev in events))


class SyncError(Exception):
    """One failed exchange with the server; `online` says whether the server answered at all."""

    def __init__(self, message: str, online: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.online = online


class SyncClient:
    def __init__(self, cache: Cache, base_url: str, token: str, http: httpx.AsyncClient, *,
                 pull_every: float = 30.0, clock: Callable[[], datetime] | None = None,
                 backoff: tuple[float, float] = (0.5, 30.0), request_timeout: float = 30.0,
                 stream_read_timeout: float = 60.0, page: int = PULL_PAGE) -> None:
        self.cache = cache
        self.base_url = normal_url(base_url)
        self.token = token
        self.http = http
        self.pull_every = pull_every
        self.backoff = backoff
        self.request_timeout = request_timeout
        self.stream_read_timeout = stream_read_timeout
        self.page = page  # events per pull page; small pages let tests walk the paging code
        self._clock = clock or (lambda: datetime.now(UTC))
        self._heard: tuple[datetime, float] | None = None  # (server time, our monotonic time then)
        self._listeners: list[Callable[[Changes], None]] = []
        self._sent: dict[int, Changes] = {}  # seq -> what the command changed on the optimistic view
        self._wake: asyncio.Event | None = None
        self._lock: asyncio.Lock | None = None
        self.last_event_id = ""
        self.stream_connected = False
        pending, issues = cache.counts()
        self.status = SyncStatus(pending=pending, issues=issues, last_synced=cache.last_synced)

    # --- listeners and status ------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Changes], None]) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, changes: set[str] | frozenset[str]) -> None:
        if not changes:
            return
        frozen = frozenset(changes)
        for listener in list(self._listeners):
            try:
                listener(frozen)
            except Exception:  # a screen's bug must not stop the sync
                log.exception("a sync listener failed")

    def _set_status(self, **values: Any) -> None:
        if "pending" not in values or "issues" not in values:
            pending, issues = self.cache.counts()
            values.setdefault("pending", pending)
            values.setdefault("issues", issues)
        new = SyncStatus(**{**self.status.__dict__, **values})
        if new != self.status:
            self.status = new
            self._notify({"status"})

    def stopped(self) -> None:
        """The loop was stopped on purpose (working offline): say offline, with no error."""
        self._set_status(online=False, syncing=False, error="")

    def recount(self) -> None:
        """Count the pending changes and sync issues again (one was dismissed or retried)."""
        self._set_status()

    def set_token(self, token: str) -> None:
        """A new token after signing in again; the next exchange uses it."""
        self.token = token
        self._poke()

    # --- time ------------------------------------------------------------------------------------

    def server_now(self) -> datetime:
        """The server's time: its `X-Server-Time` (or, from older servers, `Date`) on the last answer,
        moved on by our own monotonic clock since then. Before any answer, our own clock."""
        if self._heard is None:
            return self._clock()
        server, at = self._heard
        return server + timedelta(seconds=time.monotonic() - at)

    def _note(self, response: httpx.Response) -> None:
        at = time.monotonic()
        stamp = response.headers.get("x-server-time")
        if stamp:
            with contextlib.suppress(TypeError, ValueError):
                server = datetime.fromisoformat(stamp.strip())
                self._heard = (server if server.tzinfo else server.replace(tzinfo=UTC)), at
                return
        dates = response.headers.get_list("date")
        if not dates:
            return
        with contextlib.suppress(TypeError, ValueError, IndexError):
            server = email.utils.parsedate_to_datetime(dates[-1])
            if server.tzinfo is None:
                server = server.replace(tzinfo=UTC)
            self._heard = server, at

    # --- the loop ----------------------------------------------------------------------------------

    def _event(self) -> asyncio.Event:
        if self._wake is None:
            self._wake = asyncio.Event()
        return self._wake

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def submit(self, command: Command, changes: Changes | None = None) -> int:
        """Queue a command (durably), show its effect, and wake the loop to push it. `changes`:
        what it changes on the optimistic view (worked out here when not given)."""
        if changes is None:
            now = self.server_now()
            changes = kinds_of_command(command, self.cache.view(now), now, self.cache.store.policy)
        seq = await asyncio.to_thread(self.cache.enqueue, command)
        self._sent[seq] = changes
        self._notify(changes)
        self._set_status()
        self._poke()
        return seq

    async def sync_once(self) -> None:
        """Push the outbox in order, then pull until caught up. Failures end up in `status`."""
        with contextlib.suppress(SyncError):
            await self._attempt()

    async def _attempt(self) -> None:
        """One sync; sets the status and raises SyncError when it failed."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            self._set_status(syncing=True)
            try:
                changes = await self._sync()
            except SyncError as exc:
                self._set_status(syncing=False, online=exc.online, error=exc.message)
                raise
            except Exception as exc:  # a full disk, a bug or a damaged cache: say so, keep going
                if is_disk_refusal(exc):
                    log.warning("sync: the disk refused the cache's write: %s", exc)
                    message = (f"this computer's disk did not take what the sync received ({getattr(exc, 'orig', exc)}): "
                               "free some space; the sync tries again and nothing is lost")
                else:
                    log.exception("sync failed")
                    message = f"sync failed: {type(exc).__name__}: {exc}"
                self._set_status(syncing=False, online=False, error=message)
                raise SyncError(message) from exc
            now = self._clock()
            await asyncio.to_thread(self.cache.mark_synced, now)
            self._set_status(syncing=False, online=True, error="", last_synced=now)
            self._notify(changes)

    async def _sync(self) -> set[str]:
        changes: set[str] = set()
        for _ in range(5):  # re-push what a restored server lost, then pull again
            changes |= await self._push()
            pulled, requeued = await self._pull()
            changes |= pulled
            if not requeued:
                break
            changes.add("status")
        return changes

    async def run(self) -> None:
        """Sync until cancelled: on pokes from the stream, on submit, and every `pull_every` seconds."""
        wake = self._event()
        stream = asyncio.create_task(self._listen())
        first, ceiling = self.backoff
        delay = first
        try:
            while True:
                wake.clear()
                try:
                    await self._attempt()
                    delay = first
                    timeout = self.pull_every
                except SyncError:
                    _still_running()
                    timeout = delay * (0.5 + random.random())  # noqa: S311 - jitter, not crypto
                    delay = min(delay * 2, ceiling)
                except Exception:  # never raise out of run()
                    _still_running()
                    log.exception("sync loop")
                    timeout = delay
                    delay = min(delay * 2, ceiling)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout)
                # Python 3.11's wait_for loses a cancellation that arrives as the wake-up does (a
                # poke at the moment the app closes): the task still says it is being cancelled.
                _still_running()
        finally:
            # A connection closing mid-read can swallow a cancellation: cancel the stream
            # until it has really stopped, so run() always ends when it is cancelled.
            while not stream.done():
                stream.cancel()
                await asyncio.wait([stream], timeout=1)

    async def _listen(self) -> None:
        """Listen to /sync/stream; each poke wakes the loop. Reconnects with back-off and Last-Event-ID."""
        first, ceiling = self.backoff
        delay = first
        while True:
            try:
                headers = {"Authorization": f"Bearer {self.token}"}
                if self.last_event_id:
                    headers["Last-Event-ID"] = self.last_event_id
                timeout = httpx.Timeout(self.request_timeout, read=self.stream_read_timeout)
                async with aconnect_sse(self.http, "GET", f"{self.base_url}/sync/stream", headers=headers,
                                        timeout=timeout) as source:
                    response = source.response
                    if response.status_code != 200:
                        raise SyncError(f"the live stream answered {response.status_code}", online=True)
                    self._note(response)
                    self.stream_connected = True
                    delay = first
                    self._poke()  # something may have happened while we were away
                    async for sse in source.aiter_sse():
                        if sse.id and sse.id.isdigit():
                            self.last_event_id = sse.id
                        if sse.event in ("poke", "notification"):
                            self._poke()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # dropped, refused, garbage: back off and try again
                _still_running()
                log.debug("stream: %s", exc)
            finally:
                self.stream_connected = False
            _still_running()
            await asyncio.sleep(delay * (0.5 + random.random()))  # noqa: S311
            delay = min(delay * 2, ceiling)

    # --- push and pull ---------------------------------------------------------------------------

    async def _post(self, path: str, body: BaseModel, answer: type[M], params: dict[str, Any] | None = None) -> M:
        content = await self._send(path, body, params)
        try:
            return answer.model_validate_json(content)
        except ValidationError:
            raise SyncError("the server sent an answer the app cannot read; retrying", online=False) from None

    async def _send(self, path: str, body: BaseModel, params: dict[str, Any] | None = None) -> bytes:
        """POST `body`; the answer's bytes when the server said 200, else a SyncError."""
        try:
            response = await self.http.post(f"{self.base_url}{path}", content=body.model_dump_json(),
                                            params=params, timeout=self.request_timeout,
                                            headers={"Authorization": f"Bearer {self.token}",
                                                     "Content-Type": "application/json"})
        except httpx.TimeoutException:
            raise SyncError("offline: the server did not answer in time") from None
        except httpx.HTTPError as exc:
            raise SyncError(f"offline: cannot reach the server ({type(exc).__name__})") from None
        self._note(response)
        if response.status_code >= 500:
            raise SyncError(f"the server has a problem (HTTP {response.status_code}); retrying", online=False)
        if response.status_code == 401:
            raise SyncError("signed out: the server no longer accepts this login; sign in again", online=True)
        if response.status_code != 200:
            raise SyncError(f"the server refused the sync ({response.status_code}): {_problem(response)}", online=True)
        return response.content

    async def _pull_page(self, cursor: str, since: int) -> Page:
        """One pull page: the answer (its `changes` left empty) and the changes as (kind, data's JSON text).

        A page holds thousands of changes. They are asked for `packed` (protocol.PullResponse), so
        each one's data stays text here, to be parsed once by the cache that folds it; the page's
        shape is checked by hand, not validated change by change by pydantic. A server that does
        not know `packed` answers with `changes` as objects, which are read too.
        """
        content = await self._send("/sync/pull", PullRequest(client_id=self.cache.client_id, cursor=cursor,
                                                             limit=self.page),
                                   params={"since_seq": since, "packed": "true"})
        unreadable = SyncError("the server sent an answer the app cannot read; retrying", online=False)
        try:
            raw = parse_json(content)
        except ValueError:
            raise unreadable from None
        if not isinstance(raw, dict) or not isinstance(raw.get("changes"), list):
            raise unreadable
        pulled: list[tuple[str, str]] = []
        packed = raw.get("packed")
        if packed is not None:
            if type(packed) is not list:
                raise unreadable
            for p in packed:
                if type(p) is not list or len(p) != 2 or type(p[0]) is not str or type(p[1]) is not str:
                    raise unreadable
                pulled.append((p[0], p[1]))
        for c in raw["changes"]:
            if (type(c) is not dict or c.keys() != _CHANGE_KEYS or type(c["kind"]) is not str
                    or type(c["data"]) is not dict or type(c["position"]) is not int
                    or type(c["ref"]) is not str or type(c["at"]) is not str):
                raise unreadable
            pulled.append((c["kind"], write_json(c["data"])))
        try:
            answer = PullResponse.model_validate({**raw, "changes": [], "packed": None})
        except ValidationError:
            raise unreadable from None
        return answer, pulled

    async def _push(self) -> set[str]:
        changes: set[str] = set()
        while True:
            rows = await asyncio.to_thread(self.cache.outbox_rows, MAX_COMMANDS_PER_PUSH)
            if not rows:
                return changes
            request = PushRequest(client_id=self.cache.client_id, schema_version=SCHEMA_VERSION, commands=[
                PushedCommand(seq=seq, command_id=cid, name=name, args=args) for seq, cid, name, args in rows])
            answer = await self._post("/sync/push", request, PushResponse)
            results = [CommandResult(**r.model_dump()) for r in answer.results]
            if await asyncio.to_thread(self.cache.record, results):
                changes.add("status")
                for r in results:
                    undone = self._sent.pop(r.seq, DATA)  # sent by an earlier run: anything may go back
                    if r.status == "rejected":
                        changes |= {"issues"} | undone
            if answer.gap:
                moved = await asyncio.to_thread(self.cache.requeue_after, answer.last_seq)
                if not moved and not await asyncio.to_thread(self.cache.rebase, answer.last_seq):
                    raise SyncError("the server expects commands this app no longer has", online=True)
                continue
            if not results:
                raise SyncError(f"the server processed none of {len(rows)} commands (it is at seq {answer.last_seq})",
                                online=True)

    async def _pull(self) -> tuple[set[str], bool]:
        # While a page is being stored (in a worker thread), the next ones are already asked
        # for, one after the other, each with the cursor the page before it leaves: the server
        # builds them meanwhile. Each is used only if the cursor and `since_seq` turn out as
        # guessed; pulls change nothing on the server, so one thrown away costs nothing but its time.
        ahead: list[asyncio.Task[Asked | None]] = []
        try:
            with _collector_paused():
                return await self._pull_pages(ahead)
        finally:
            for task in ahead:
                await _drop(task)

    async def _pull_after(self, previous: asyncio.Task[Asked | None] | Asked, since: int) -> Asked | None:
        """The page after `previous` (a page, or the task asking for it), or None when there is none."""
        got = await asyncio.shield(previous) if isinstance(previous, asyncio.Task) else previous
        if got is None or not (got.answer.more and got.changes):
            return None
        return Asked(got.answer.cursor, since, *await self._pull_page(got.answer.cursor, since))

    def _ask_ahead(self, ahead: list[asyncio.Task[Asked | None]], page: Asked) -> None:
        """Keep `AHEAD` pages asked for after `page` (the last one taken)."""
        if not (page.answer.more and page.changes):
            return
        while len(ahead) < AHEAD:
            ahead.append(asyncio.create_task(self._pull_after(ahead[-1] if ahead else page, page.since)))

    async def _pull_pages(self, ahead: list[asyncio.Task[Asked | None]]) -> tuple[set[str], bool]:
        changes: set[str] = set()
        resets = 0
        while True:
            first = await asyncio.to_thread(self.cache.first_queued)
            since = min(first - 1 if first is not None else 1 << 62, 10**12)
            recheck = self.cache.recheck  # after a reset: every result again, page by page
            if recheck is not None:
                since = min(since, recheck)
            cursor = self.cache.cursor
            page = await ahead[0] if ahead else None  # still in `ahead` while awaited: dropped if we are cancelled
            if ahead:
                ahead.pop(0)
            if page is None or (page.cursor, page.since) != (cursor, since):
                while ahead:
                    await _drop(ahead.pop())
                page = Asked(cursor, since, *await self._pull_page(cursor, since))
            answer = page.answer
            changed_epoch = bool(cursor) and _epoch(answer.cursor) != _epoch(cursor)
            if cursor and (answer.reset or changed_epoch):
                resets += 1
                if resets > 3:
                    raise SyncError("the server keeps asking for a resync", online=True)
                while ahead:
                    await _drop(ahead.pop())
                await asyncio.to_thread(self.cache.reset)
                self.last_event_id = ""
                changes |= EVERYTHING
                continue
            self._ask_ahead(ahead, page)
            pulled, answers = page.changes, [answer]
            # The pages that arrived while the last ones were stored are stored with this one, in
            # one transaction: when storing is slower than the server (a long first sync), each
            # transaction then folds several pages, and pays its commit and the rewrite of the
            # records that span pages once for them all.
            while recheck is None and ahead and ahead[0].done() and len(pulled) < MERGED_EVENTS:
                nxt = _arrived(ahead[0])
                if (nxt is None or (nxt.cursor, nxt.since) != (answer.cursor, since) or nxt.answer.reset
                        or _epoch(nxt.answer.cursor) != _epoch(answer.cursor)
                        or len(pulled) + len(nxt.changes) > MERGED_EVENTS):
                    break  # asked for the next round, which checks it as its first page
                ahead.pop(0)
                pulled = [*pulled, *nxt.changes]
                answer = nxt.answer
                answers.append(answer)
                self._ask_ahead(ahead, nxt)
            if pulled:
                try:
                    await asyncio.to_thread(self.cache.absorb, pulled, answer.cursor)
                except UnreadableChange as exc:
                    raise SyncError(f"{exc}; retrying", online=False) from None
                for kind in {kind for kind, _ in pulled}:
                    changes |= kinds_of_event(kind)
            elif answer.cursor != cursor:
                await asyncio.to_thread(self.cache.absorb, [], answer.cursor)
            # Each page carries this client's results after `since_seq`: merged pages, the same
            # ones again (a later page's are the newer word).
            heard = {r.seq: r for a in answers for r in a.results}
            results = [CommandResult(**r.model_dump()) for r in heard.values()]
            recorded: bool = bool(results) and await asyncio.to_thread(self.cache.record, results)
            if recorded:
                changes |= {"status", "issues"} | DATA
            if recheck is not None:
                # The server sends a page of results at a time: ask again from the last one
                # until a pull brings none, then the recheck is over.
                done = not results
                await asyncio.to_thread(self.cache.rechecked, None if done else max(r.seq for r in results))
                if not done and not answer.more:
                    continue
            if not answer.more:
                requeued = await asyncio.to_thread(self.cache.confirm_up_to, answer.last_seq)
                if pulled:
                    changes.add("status")  # pending commands may have been confirmed
                return changes, requeued


Page = tuple[PullResponse, list[tuple[str, str]]]


class Asked(NamedTuple):
    """A pull page with what it was asked with (`cursor`, `since_seq`)."""

    cursor: str
    since: int
    answer: PullResponse
    changes: list[tuple[str, str]]


AHEAD = 3  # pull pages asked for ahead of the one being stored, each after the one before
MERGED_EVENTS = 3 * PULL_PAGE  # the most events one store transaction folds (the cache is locked meanwhile)


def _epoch(cursor: str) -> str:
    return cursor.partition(":")[0]


def _arrived(task: asyncio.Task[Asked | None]) -> Asked | None:
    """A page asked for ahead that is done, or None if it failed: not merged, so the next round
    takes it as its first page, and its error ends the pull as a page asked for then would."""
    if task.cancelled() or task.exception() is not None:
        return None
    return task.result()


_paused = 0


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while pages are read and folded.

    A first sync makes millions of short-lived objects (parsed events, records, rows), none in a
    cycle: reference counting frees them all, and the collector's passes, triggered by the
    allocations and walking the ever larger heap, took about a sixth of the time. It is switched on
    again (and catches up) as soon as the pull ends, however it ends; pulls that overlap keep it
    off until the last one ends."""
    global _paused
    if _paused == 0 and not gc.isenabled():  # someone else turned it off: theirs to turn on
        yield
        return
    _paused += 1
    gc.disable()
    try:
        yield
    finally:
        _paused -= 1
        if _paused == 0:
            gc.enable()


def _still_running() -> None:
    """Re-raise a cancellation that a library turned into an ordinary error (a connection
    closed mid-read), so a cancelled loop never takes it for a retryable failure."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def _drop(task: asyncio.Task[Any]) -> None:
    """Cancel a page asked for ahead that is not needed, and wait for it to end."""
    while not task.done():  # its own end (an error, a cancellation) is not ours to raise
        task.cancel()
        await asyncio.wait([task], timeout=1)
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    if isinstance(body, dict):
        for key in ("message", "detail", "title"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return str(body)[:200]
