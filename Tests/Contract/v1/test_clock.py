"""The virtual clock's admin API and `--time`: what timestamps the fake API hands out."""
from mockserver import assert_openai_error


def test_manual_clock_moves_only_when_advanced(start_server, make_client):
    srv = start_server("--time", "manual")
    c = make_client(srv.base_url)
    assert srv.json("GET", "/_mock/clock") == {"now": 1717200000, "now_ms": 1717200000000, "clock": "fixed",
                                               "pace": {"mode": "manual"}}
    before = c.files.create(file=("a.bin", b"x"), purpose="user_data")
    moved = srv.json("POST", "/_mock/clock/advance", {"seconds": 90.5})
    assert moved["now_ms"] == 1717200090500
    after = c.files.create(file=("a.bin", b"x"), purpose="user_data")
    assert (before.created_at, after.created_at) == (1717200000, 1717200090)
    assert srv.json("POST", "/_mock/clock/advance", {"to": 1717300000})["now"] == 1717300000
    status, headers, body = srv.request("POST", "/_mock/clock/advance", {"seconds": -1})
    assert_openai_error(status, headers, body, 400, param="seconds")
    srv.reset()
    assert srv.json("GET", "/_mock/clock")["now"] == 1717200000   # reset forgets the clock's progress too


def test_default_clock_stands_still_without_jobs(mock):
    assert mock.json("GET", "/_mock/clock")["pace"] == {"mode": "auto", "speed": 100.0}
    assert mock.json("GET", "/_mock/clock")["now"] == 1717200000


def test_time_flag_is_validated(mock_bin):
    import subprocess
    for args in (["--time", "sometimes"], ["--time", "manual", "--clock", "real"]):
        p = subprocess.run([str(mock_bin), *args], capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
        assert p.returncode == 64, p.stderr
