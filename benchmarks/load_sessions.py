"""Server memory under 20 concurrent sessions, over two rounds: peak, and after every session has closed.

Starts ``python -m ui.serve`` on 127.0.0.1 (its own SQLite store in a temp folder) and opens N sessions
at once over Streamlit's websocket, as a browser does, without a browser: each asks for the Cost
simulation page with a share link of the seed-001 org and its own seed, so every session draws and
prices its own simulation (nothing shared between them). When all have finished, they close; the
benchmark waits for the server to notice (the disconnected-session TTL is set to 2 s here) and for
the cache sweep (ui/lru.py), then reads the server's resident memory. Round 2 does the same with
other seeds. Memory must not grow from round to round (a leak would): the last line says whether it
did, and the exit code is 1 if the after-close memory of round 2 passes round 1's by more than 10%.

    python benchmarks/load_sessions.py [--sessions 20] [--trials 10000] [--timeout 600]

Every wait is bounded (``--timeout`` for the whole run); the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compcore.io.share import encode_scenario  # noqa: E402
from compcore.simulation.scenario import dump_scenario, load_scenario  # noqa: E402

MIB = 2**20
SETTLE_SECONDS = 25  # TTL 2 s + one cache sweep (10 s) + the session's own cleanup


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss(proc: psutil.Process) -> int:
    """Resident memory of the server and any children (bytes)."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a child that just ended
            total += p.memory_info().rss
    return total


class Peak:
    """Samples the server's memory every 0.1 s in a thread; ``peak`` is the largest seen."""

    def __init__(self, proc: psutil.Process) -> None:
        self.proc, self.peak, self.stop = proc, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _rss(self.proc))
            self.stop.wait(0.1)

    def __enter__(self) -> Peak:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=2)


async def _session(url: str, query: str, page: str, timeout: float) -> float:
    """One browser-like session: open, ask for ``page`` with ``query``, wait for the run to finish; seconds."""
    started = time.monotonic()
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        finished = 0
        deadline = started + timeout
        while time.monotonic() < deadline:
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=2.0 if finished else deadline - time.monotonic())
            except TimeoutError:
                if finished:
                    break  # quiet after a finished run: the page is drawn
                raise
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.WhichOneof("type") == "script_finished":
                finished += 1
        if not finished:
            raise TimeoutError(f"session {query[-12:]} did not finish within {timeout:.0f} s")
    return time.monotonic() - started


async def _round(url: str, queries: list[str], page: str, timeout: float) -> list[float | BaseException]:
    return await asyncio.gather(*(_session(url, q, page, timeout) for q in queries), return_exceptions=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--trials", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds for the whole run")
    args = ap.parse_args()
    ends_at = time.monotonic() + args.timeout
    token = encode_scenario(dump_scenario(load_scenario(ROOT / "sample_data/scenarios/cs_org_teams.json")))
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="compcore_load_"))
    env = dict(os.environ, PYTHONPATH=str(ROOT), COMPCORE_DB_URL=f"sqlite:///{folder / 'store.db'}")
    env.pop("COMPCORE_PASSWORD", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
         "--server.enableXsrfProtection", "false", "--server.disconnectedSessionTTL", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = psutil.Process(server.pid)
    results = []
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.25)
        url = f"ws://127.0.0.1:{port}/_stcore/stream"
        idle = _rss(proc)
        # one session first, closed: every library is imported, so "warm" is the floor after-close can reach
        asyncio.run(_round(url, [f"s={token}&trials={args.trials}&seed=999999"], "cost_simulation",
                           ends_at - time.monotonic()))
        time.sleep(SETTLE_SECONDS)
        warm = _rss(proc)
        print(f"server idle: {idle / MIB:,.0f} MiB, warm (one session run and closed): {warm / MIB:,.0f} MiB; "
              f"{args.sessions} sessions x {args.rounds} rounds, {args.trials:,} trials each, own seeds "
              f"(python -m ui.serve on 127.0.0.1:{port})", flush=True)
        for r in range(args.rounds):
            queries = [f"s={token}&trials={args.trials}&seed={1000 * r + i}" for i in range(args.sessions)]
            left = ends_at - time.monotonic() - SETTLE_SECONDS
            if left <= 10:
                print("out of time: stopped before round", r + 1)
                return 1
            with Peak(proc) as peak:
                started = time.monotonic()
                times = asyncio.run(_round(url, queries, "cost_simulation", left))
                took = time.monotonic() - started
            errors = [t for t in times if isinstance(t, BaseException)]
            time.sleep(SETTLE_SECONDS)
            after = _rss(proc)
            ok = [t for t in times if not isinstance(t, BaseException)]
            results.append({"round": r + 1, "peak_mib": peak.peak / MIB, "after_close_mib": after / MIB,
                            "sessions_ok": len(ok), "errors": [repr(e)[:120] for e in errors],
                            "seconds": took, "slowest_session_s": max(ok, default=0.0)})
            print(f"round {r + 1}: {len(ok)}/{args.sessions} sessions finished in {took:.1f} s "
                  f"(slowest {max(ok, default=0.0):.1f} s); peak {peak.peak / MIB:,.0f} MiB, "
                  f"after close {after / MIB:,.0f} MiB" + (f"; errors: {errors[:2]}" if errors else ""), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    print(json.dumps(results))
    if len(results) >= 2:
        grew = results[-1]["after_close_mib"] > 1.10 * results[0]["after_close_mib"]
        print(f"after-close memory round 1 -> round {len(results)}: {results[0]['after_close_mib']:,.0f} -> "
              f"{results[-1]['after_close_mib']:,.0f} MiB: {'GREW' if grew else 'did not grow'}")
        return 1 if grew or any(r["errors"] for r in results) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
