"""Meeting attachments through the real server: upload, list, download, limits and who may see them."""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
import pytest

from consoleapp.sync.client import files
from consoleapp.sync.server.opening import open_server

from .live import LiveServer
from .test_customer_api import Scene, applied, finish, push, scene

LIMIT = 64 * 1024


@pytest.fixture
def small(tmp_path: Path) -> Any:
    """A server whose attachments are at most 64 KiB (other bodies keep the default 1 MiB)."""
    live = LiveServer(tmp_path / "data", env={"CONSOLEAPP_MAX_ATTACHMENT_BYTES": str(LIMIT)}).start()
    try:
        yield live
    finally:
        live.stop()


def put(live: LiveServer, token: str, mid: str, aid: str, body: bytes, name: str = "notes.txt",
        kind: str = "file") -> httpx.Response:
    return live.call(token, "PUT", f"/api/meetings/{mid}/attachments/{aid}", params={"name": name, "kind": kind},
                     content=body, headers={"Content-Type": "application/octet-stream"})


def stored_files(live: LiveServer) -> list[Path]:
    base = live.data_dir / "attachments"
    return sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []


def agreed(live: LiveServer) -> tuple[Scene, str, str]:
    sc = scene(live)
    _, token = sc.customer()
    return sc, token, sc.agreed(token)


def attachment_events(sc: Scene, token: str, mid: str) -> list[dict[str, Any]]:
    return [x for x in sc.meeting(token, mid)["timeline"] if x["kind"] == "AttachmentAdded"]


def test_round_trip_with_digest_on_the_timeline(any_server: LiveServer) -> None:
    live = any_server
    sc, token, mid = agreed(live)
    data = os.urandom(200_000) + "é\x00".encode()
    r = put(live, token, mid, "a-1", data, name="Résumé final (v2).pdf")
    assert r.status_code == 201, r.text
    record = r.json()["attachment"]
    digest = hashlib.sha256(data).hexdigest()
    assert record["digest"] == digest and record["size"] == len(data) and record["stored"] is True
    assert record["author"] == "customer" and record["name"] == "Résumé final (v2).pdf"
    assert (live.data_dir / "attachments" / digest[:2] / digest).read_bytes() == data
    assert not list((live.data_dir / "attachments" / "tmp").iterdir())

    # both sides see it: the expert downloads the customer's bytes
    got = live.call(sc.expert_token, "GET", f"/api/meetings/{mid}/attachments/a-1")
    assert got.status_code == 200 and got.content == data
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-type"] == "application/octet-stream"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + urllib.parse.quote("Résumé final (v2).pdf", safe="") in disposition

    listed = live.call(sc.expert_token, "GET", f"/api/meetings/{mid}/attachments").json()["attachments"]
    assert [(x["attachment_id"], x["digest"], x["stored"]) for x in listed] == [("a-1", digest, True)]

    assert len(attachment_events(sc, token, mid)) == 1
    # the timeline shows titles only: the event's own fields (the digest) come from the stored log
    server = open_server(live.settings)
    try:
        transcript = server.store.transcript(mid)
    finally:
        server.store.close()
    assert [(x["attachment_id"], x["digest"], x["size"]) for x in transcript if x["event"] == "AttachmentAdded"] == [
        ("a-1", digest, len(data))]


def test_strangers_get_404_everywhere(server: LiveServer) -> None:
    live = server
    sc, token, mid = agreed(live)
    assert put(live, token, mid, "a-1", b"secret").status_code == 201
    _, other_customer = sc.customer()
    _, other_expert = live.register("expert")
    for stranger in (other_customer, other_expert):
        assert live.call(stranger, "GET", f"/api/meetings/{mid}/attachments").status_code == 404
        assert live.call(stranger, "GET", f"/api/meetings/{mid}/attachments/a-1").status_code == 404
        r = put(live, stranger, mid, "a-2", b"intrusion")
        assert r.status_code == 404, r.text
    # an unknown meeting answers the same
    assert live.call(other_customer, "GET", "/api/meetings/nope/attachments").status_code == 404
    assert live.call("", "GET", f"/api/meetings/{mid}/attachments").status_code == 401
    # an operator only when the meeting is evidence (Under review or a disputed claim)
    assert live.call(sc.op, "GET", f"/api/meetings/{mid}/attachments/a-1").status_code == 404
    listed = live.call(token, "GET", f"/api/meetings/{mid}/attachments").json()["attachments"]
    assert [x["attachment_id"] for x in listed] == ["a-1"]
    assert len(stored_files(live)) == 1


def test_oversize_is_refused_and_nothing_is_kept(small: LiveServer) -> None:
    live = small
    sc, token, mid = agreed(live)
    # over the limit, with a Content-Length: refused before reading
    big = os.urandom(LIMIT + 1)
    r = put(live, token, mid, "big", big)
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == "too_large"

    # over the limit, streamed without a length: refused while reading, the partial file removed
    def chunks() -> Any:
        for _ in range(4):
            yield os.urandom(LIMIT // 2)

    with live.client(token) as client:
        try:
            r = client.put(f"/api/meetings/{mid}/attachments/big", params={"name": "big.bin"}, content=chunks())
            assert r.status_code == 413, r.text
        except httpx.TransportError:
            pass  # the server may close the connection before the client has sent everything
    assert stored_files(live) == []
    assert attachment_events(sc, token, mid) == []
    # exactly the limit is fine, and more than the general 1 MiB body limit is not what decides here
    assert put(live, token, mid, "edge", os.urandom(LIMIT)).status_code == 201


def test_uploads_larger_than_the_general_body_limit(server: LiveServer) -> None:
    live = server
    sc, token, mid = agreed(live)
    data = os.urandom(3 * 1024 * 1024)  # over max_body_bytes (1 MiB), under max_attachment_bytes
    r = put(live, sc.expert_token, mid, "large", data, name="dump.bin")
    assert r.status_code == 201, r.text
    assert live.call(token, "GET", f"/api/meetings/{mid}/attachments/large").content == data
    # other routes keep the general limit
    r = live.call(token, "POST", "/api/bookings", content=b"x" * (2 * 1024 * 1024),
                  headers={"Content-Type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\x", "a\x00b", "", "   ", "..", "dir/file.txt"])
def test_names_are_never_paths(server: LiveServer, name: str) -> None:
    live = server
    sc, token, mid = agreed(live)
    r = put(live, token, mid, "bad", b"payload", name=name)
    assert r.status_code == 422, r.text
    assert stored_files(live) == []
    assert attachment_events(sc, token, mid) == []


def test_bad_kind_empty_body_and_bad_id(server: LiveServer) -> None:
    live = server
    sc, token, mid = agreed(live)
    assert put(live, token, mid, "k", b"x", kind="image").status_code == 422
    assert put(live, token, mid, "k", b"").status_code == 422
    assert put(live, token, mid, "has space", b"x").status_code in (404, 422)
    assert live.call(token, "PUT", f"/api/meetings/{mid}/attachments/k", content=b"x").status_code == 422  # no name
    assert stored_files(live) == []


def test_same_id_is_idempotent_and_other_bytes_conflict(server: LiveServer) -> None:
    live = server
    sc, token, mid = agreed(live)
    first = put(live, token, mid, "a-1", b"print('hello')\n", name="hello.py", kind="snippet")
    assert first.status_code == 201, first.text
    again = put(live, token, mid, "a-1", b"print('hello')\n", name="hello.py", kind="snippet")
    assert again.status_code == 200, again.text
    assert again.json()["attachment"] == first.json()["attachment"]
    clash = put(live, token, mid, "a-1", b"print('bye')\n", name="hello.py", kind="snippet")
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "attachment_conflict"
    assert len(attachment_events(sc, token, mid)) == 1
    assert len(stored_files(live)) == 1
    # the same bytes under another id are stored once (content-addressed)
    assert put(live, sc.expert_token, mid, "a-2", b"print('hello')\n", name="copy.py").status_code == 201
    assert len(stored_files(live)) == 1
    assert len(attachment_events(sc, token, mid)) == 2


def test_metadata_pushed_first_then_bytes(server: LiveServer) -> None:
    """A desktop's AddAttachment via /sync/push records the metadata; the upload then brings the bytes."""
    live = server
    sc, token, mid = agreed(live)
    data = b"col1,col2\n1,2\n"
    digest = hashlib.sha256(data).hexdigest()
    applied(live, sc.expert_token, "AddAttachment", meeting_id=mid, attachment_id="desk-1", name="data.csv",
            kind="file", size=len(data), digest=digest)
    listed = live.call(token, "GET", f"/api/meetings/{mid}/attachments").json()["attachments"]
    assert listed[0]["stored"] is False
    missing = live.call(token, "GET", f"/api/meetings/{mid}/attachments/desk-1")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_uploaded"
    assert put(live, sc.expert_token, mid, "desk-1", b"other bytes", name="data.csv").status_code == 409
    assert put(live, sc.expert_token, mid, "desk-1", data, name="data.csv").status_code == 200
    assert live.call(token, "GET", f"/api/meetings/{mid}/attachments/desk-1").content == data


def test_cancelled_meeting_refuses_with_the_engines_message(server: LiveServer) -> None:
    live = server
    sc, token, mid = agreed(live)
    r = live.call(token, "POST", f"/api/meetings/{mid}/cancel", json={"reason": "changed my mind"})
    assert r.status_code == 200, r.text
    r = put(live, token, mid, "late", b"too late")
    assert r.status_code == 409, r.text
    assert "cannot add to the session: the meeting is Cancelled" in r.json()["error"]["message"]
    assert stored_files(live) == []
    assert not list((live.data_dir / "attachments" / "tmp").iterdir())


def test_operator_reads_evidence_of_a_meeting_under_review(server: LiveServer) -> None:
    live = server
    sc, token, mid = agreed(live)
    assert put(live, token, mid, "a-1", b"evidence").status_code == 201
    finish(sc, mid)
    assert live.call(sc.op, "GET", f"/api/meetings/{mid}/attachments/a-1").status_code == 404  # Held: not evidence
    other = "failed because of the other party"
    assert live.call(token, "POST", f"/api/meetings/{mid}/evaluation", json={"answer": other}).status_code == 200
    applied(live, sc.expert_token, "Evaluate", meeting_id=mid, answer=other)
    assert sc.meeting(token, mid)["meeting"]["status"] == "Under review"
    # attachments may still be added while under review
    assert put(live, sc.expert_token, mid, "a-2", b"more evidence").status_code == 201
    assert live.call(sc.op, "GET", f"/api/meetings/{mid}/attachments/a-1").content == b"evidence"
    assert [x["attachment_id"] for x in live.call(sc.op, "GET", f"/api/meetings/{mid}/attachments").json()["attachments"]] == ["a-1", "a-2"]


def test_client_upload_helper(server: LiveServer, tmp_path: Path) -> None:
    import asyncio

    live = server
    sc, token, mid = agreed(live)
    source = tmp_path / "report.txt"
    source.write_bytes(b"line\n" * 50_000)

    async def go() -> tuple[dict[str, Any], dict[str, Any]]:
        async with httpx.AsyncClient(timeout=30) as http:
            a = await files.upload(http, live.url, sc.expert_token, mid, "f-1", source)
            b = await files.upload(http, live.url, sc.expert_token, mid, "f-2", b"x = 1\n", name="x.py", kind="snippet")
            return a, b

    a, b = asyncio.run(go())
    assert a["name"] == "report.txt" and a["size"] == source.stat().st_size and b["kind"] == "snippet"
    assert live.call(token, "GET", f"/api/meetings/{mid}/attachments/f-1").content == source.read_bytes()
    with pytest.raises(files.UploadError) as refused:
        asyncio.run(_upload_bad(live, sc.expert_token, mid))
    assert refused.value.status == 422


async def _upload_bad(live: LiveServer, token: str, mid: str) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        await files.upload(http, live.url, token, mid, "f-3", b"x", name="../up")


def test_push_refusal_is_unchanged(server: LiveServer) -> None:
    """The desktop path still validates the digest format (sanity check of the engine rule)."""
    live = server
    sc, _, mid = agreed(live)
    result = push(live, sc.expert_token, "AddAttachment", meeting_id=mid, attachment_id="x", name="a.txt",
                  kind="file", size=3, digest="not-hex")
    assert result["status"] != "applied"
