"""Login codes any process on the workspace can redeem once (P4) and the session lifecycle (P6)."""

from __future__ import annotations

import stat
import threading

import httpx
import pytest

from tests.support.servers import APPID
from workbench.core.login import (
    ERR_CODE_USED,
    ERR_INVALID_CODE,
    LoginAuthority,
    LoginError,
    default_openid,
    load_or_create_secret,
    session_signature,
)
from workbench.mockserver.server import MockServer


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "data"


def two_processes(folder) -> tuple[LoginAuthority, LoginAuthority]:
    """Two authorities on the same data folder: as two processes on one workspace see it."""
    return LoginAuthority.in_folder(folder), LoginAuthority.in_folder(folder)


def test_p4_a_code_issued_by_one_process_is_redeemed_once_by_another(folder):
    issuer, redeemer = two_processes(folder)
    code = issuer.issue_code("alice")
    assert len(code) == 32 and code.isalnum() and code.isascii()
    session = redeemer.exchange(code)
    assert session.user == "alice" and session.openid == default_openid("alice")
    for authority in (redeemer, issuer):
        with pytest.raises(LoginError) as used:
            authority.exchange(code)
        assert used.value.errcode == ERR_CODE_USED and used.value.errmsg == "code been used"


@pytest.mark.parametrize("bad", ["", "short", "x" * 32, "A" * 31 + "中", "0123456789abcdef0123456789abcdef"])
def test_p4_made_up_codes_are_invalid(folder, bad):
    with pytest.raises(LoginError) as info:
        LoginAuthority.in_folder(folder).exchange(bad)
    assert info.value.errcode == ERR_INVALID_CODE


def test_p4_a_code_from_another_workspace_or_with_a_changed_tag_is_invalid(tmp_path):
    ours, theirs = LoginAuthority.in_folder(tmp_path / "a"), LoginAuthority.in_folder(tmp_path / "b")
    code = theirs.issue_code("alice")
    with pytest.raises(LoginError, match="invalid code"):
        ours.exchange(code)
    mine = ours.issue_code("alice")
    flipped = mine[:-1] + ("A" if mine[-1] != "A" else "B")
    with pytest.raises(LoginError, match="invalid code"):
        ours.exchange(flipped)
    # a row written into the state file without the secret does not make a valid code
    ours._db.execute("UPDATE login_code SET user = 'mallory'")
    with pytest.raises(LoginError, match="invalid code"):
        ours.exchange(mine)


def test_p4_codes_expire_after_five_minutes(folder):
    now = [1_000.0]
    authority = LoginAuthority(load_or_create_secret(folder / "s"), folder / "state", clock=lambda: now[0])
    fresh, late = authority.issue_code("alice"), authority.issue_code("bob")
    now[0] += 299.0
    assert authority.exchange(fresh).user == "alice"
    now[0] += 1.0
    with pytest.raises(LoginError, match="expired") as info:
        authority.exchange(late)
    assert info.value.errcode == ERR_INVALID_CODE


def test_p4_two_processes_racing_for_one_code_only_one_wins(folder):
    code = LoginAuthority.in_folder(folder).issue_code("alice")
    authorities = [LoginAuthority.in_folder(folder) for _ in range(6)]
    barrier = threading.Barrier(len(authorities))
    results: list[str] = []

    def redeem(authority: LoginAuthority) -> None:
        barrier.wait()
        try:
            results.append(authority.exchange(code).session_key)
        except LoginError as exc:
            results.append(str(exc.errcode))

    threads = [threading.Thread(target=redeem, args=(a,)) for a in authorities]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results).count(str(ERR_CODE_USED)) == 5 and len(results) == 6


def test_p6_each_redeemed_code_rotates_the_session_key_and_the_old_one_goes_stale(folder):
    app, server = two_processes(folder)
    first = server.exchange(app.issue_code("alice"))
    assert server.check_session_key(first.openid, first.session_key).state == "valid"
    second = server.exchange(app.issue_code("alice"))
    assert second.session_key != first.session_key and second.openid == first.openid
    assert app.current_session_key("alice") == second.session_key
    stale = app.check_session_key(first.openid, first.session_key)
    assert (stale.state, stale.errcode, stale.errmsg) == ("stale", 87009, "invalid signature")
    assert "replaced by a newer login" in stale.to_json()["workbench_hint"]
    assert app.check_signature(second.openid, session_signature(second.session_key)).to_json() == {
        "errcode": 0, "errmsg": "ok"}
    assert app.check_session_key(first.openid, "never-issued").state == "unknown"
    # another user's session is untouched
    bob = server.exchange(app.issue_code("bob"))
    assert app.check_session_key(bob.openid, bob.session_key).state == "valid"
    assert app.check_session_key(second.openid, second.session_key).state == "valid"


def test_login_state_and_secret_are_private_and_shared(folder):
    a = load_or_create_secret(folder / "login.secret")
    assert load_or_create_secret(folder / "login.secret") == a and len(a) == 32
    LoginAuthority.in_folder(folder)
    for name in ("login.secret", "login.sqlite3"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


async def test_p4_p6_mock_code2session_and_checksession_use_the_workspace_authority(folder):
    app = LoginAuthority.in_folder(folder)
    mock = MockServer(login=LoginAuthority.in_folder(folder))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=mock.app), base_url="http://mock") as http:
        code = app.issue_code("alice")  # issued by another process on the workspace
        # a pre-pull carrying the code: the mock (a developer server) redeems it and knows the user
        pre = await http.get("/prefetch", params={"appid": APPID, "code": code, "timestamp": "1"})
        assert pre.status_code == 200 and pre.json()["openid"] == default_openid("alice")
        again = (await http.get("/sns/jscode2session", params={"appid": APPID, "js_code": code})).json()
        assert again == {"errcode": 40163, "errmsg": "code been used"}
        first = (await http.get("/sns/jscode2session", params={"js_code": app.issue_code("alice")})).json()
        second = (await http.get("/sns/jscode2session", params={"js_code": app.issue_code("alice")})).json()
        assert first["openid"] == second["openid"] and first["session_key"] != second["session_key"]
        assert mock.session_key("alice") == second["session_key"]

        async def check(key: str) -> dict:
            return (await http.get("/wxa/checksession", params={
                "openid": first["openid"], "signature": session_signature(key), "sig_method": "hmac_sha256"})).json()

        assert await check(second["session_key"]) == {"errcode": 0, "errmsg": "ok"}
        stale = await check(first["session_key"])
        assert stale["errcode"] == 87009 and "workbench_hint" in stale


def test_codes_for_many_users_are_issued_in_one_transaction_and_each_redeems_once(folder):
    """A traffic run asks for hundreds of codes at a time: one transaction each took 37 ms per 512."""
    authority = LoginAuthority.in_folder(folder)
    statements: list[str] = []
    authority._db.set_trace_callback(statements.append)
    users = [f"user{i}" for i in range(512)]
    codes = authority.issue_codes(users)
    authority._db.set_trace_callback(None)
    assert statements.count("BEGIN IMMEDIATE") == 1 and len(set(codes)) == 512
    assert [authority.exchange(code).openid for code in codes[:3]] == [default_openid(u) for u in users[:3]]
    with pytest.raises(LoginError):
        authority.exchange(codes[0])


def test_expired_codes_are_removed_by_index_not_by_reading_every_code(folder):
    """Each issue removes codes that can no longer be redeemed: without an index on the issue
    time that read the whole table (2.4 ms per code at 20,000 codes, found by the close4 helper)."""
    authority = LoginAuthority.in_folder(folder)
    plan = " ".join(str(row[-1]) for row in authority._db.execute(
        "EXPLAIN QUERY PLAN DELETE FROM login_code WHERE issued_ms < 0"))
    assert "USING INDEX login_code_issued" in plan or "USING COVERING INDEX login_code_issued" in plan, plan
