"""Opening the store's database with every wait bounded: connect, statement, lock, and an answer at all.

- **SQLite**: WAL, a busy timeout of :data:`LOCK_TIMEOUT` seconds; writes take
  ``BEGIN IMMEDIATE`` (writers queue), reads a plain ``BEGIN`` (never wait
  behind a writer).
- **PostgreSQL** (and MySQL/MSSQL where the driver allows): a connect timeout,
  a server-side ``statement_timeout`` and ``lock_timeout``, TCP keepalive and
  ``tcp_user_timeout`` (a dead host or network is noticed), and a ping of every
  connection taken from the pool (a connection the server dropped is replaced).
- **An answer at all** (:class:`Deadline`): a server-side timeout is enforced by
  the server, so a backend process that is frozen (stopped, swapped out, stuck
  in the kernel) keeps a query waiting forever while its socket stays open and
  the kernel acknowledges every packet. Each store operation therefore runs
  under a client-side deadline of :data:`ANSWER_TIMEOUT` seconds: past it, the
  sockets of the connections it uses are shut down, the driver returns an
  error, the pool drops those connections and the caller gets a StoreError.
"""

from __future__ import annotations

import contextvars
import os
import socket
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import StaticPool

__all__ = ["ANSWER_TIMEOUT", "CONNECT_TIMEOUT", "LOCK_TIMEOUT", "READ_ONLY", "STATEMENT_TIMEOUT", "AnswerTimeoutError",
           "Deadline", "connect_args", "default_url", "open_engine"]

#: seconds to wait for a database connection before saying it cannot be reached
CONNECT_TIMEOUT = 5
#: seconds a statement may wait for a lock another client holds (PostgreSQL lock_timeout, SQLite busy timeout)
LOCK_TIMEOUT = 5
#: seconds a statement may run on the server (PostgreSQL statement_timeout)
STATEMENT_TIMEOUT = 10
#: seconds a store operation may wait for any answer before its connections are cut (a frozen server)
ANSWER_TIMEOUT = 15
#: execution option marking a read-only transaction (SQLite: a deferred BEGIN)
READ_ONLY = "compcore_read"


def default_url() -> str:
    """``COMPCORE_DB_URL`` if set, else ``sqlite:///~/.compcore/compcore.db`` (directory created)."""
    url = os.environ.get("COMPCORE_DB_URL", "").strip()
    if url:
        return url
    path = Path.home() / ".compcore" / "compcore.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def connect_args(backend: str) -> dict[str, Any]:
    """Driver arguments that bound every wait, per database kind (see the module docstring)."""
    if backend == "sqlite":
        return {"check_same_thread": False, "timeout": LOCK_TIMEOUT}
    if backend == "postgresql":
        return {
            "connect_timeout": CONNECT_TIMEOUT,
            "options": (f"-c statement_timeout={STATEMENT_TIMEOUT * 1000} -c lock_timeout={LOCK_TIMEOUT * 1000} "
                        "-c idle_in_transaction_session_timeout=60000"),
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
            "tcp_user_timeout": ANSWER_TIMEOUT * 1000,
        }
    if backend in ("mysql", "mariadb"):
        return {"connect_timeout": CONNECT_TIMEOUT, "read_timeout": ANSWER_TIMEOUT, "write_timeout": ANSWER_TIMEOUT}
    if backend == "mssql":
        return {"timeout": CONNECT_TIMEOUT}
    return {}


class AnswerTimeoutError(Exception):
    """The database gave no answer within :data:`ANSWER_TIMEOUT` seconds (its connections were cut)."""


_ACTIVE: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("compcore_store_deadline", default=None)


def _cut(dbapi_conn: Any) -> None:
    """Shut down a driver connection's socket, so that a thread blocked reading it gets an error now."""
    try:
        fileno = getattr(dbapi_conn, "fileno", None)
        fd = fileno() if callable(fileno) else getattr(getattr(dbapi_conn, "pgconn", None), "socket", None)
        if fd is None or fd < 0:
            return
        sock = socket.socket(fileno=os.dup(fd))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()
    except (OSError, ValueError, AttributeError):  # already closed, or a driver without a socket
        pass


class Deadline:
    """One store operation's client-side deadline; use as ``with Deadline(seconds): ...``.

    Connections taken from the pool during the operation are tracked (the
    engine's ``checkout`` hook); when the time is up they are cut. ``fired``
    says whether that happened, so the caller can tell a frozen server from
    any other error.

    >>> with Deadline(5) as d:
    ...     pass
    >>> d.fired
    False
    """

    def __init__(self, seconds: float) -> None:
        self.seconds, self.fired = seconds, False
        self._conns: list[Any] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._token: contextvars.Token[Deadline | None] | None = None

    def __enter__(self) -> Deadline:
        self._token = _ACTIVE.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        if self._token is not None:
            _ACTIVE.reset(self._token)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            conns = list(self._conns)
        for conn in conns:
            _cut(conn)

    def track(self, dbapi_conn: Any) -> None:
        with self._lock:
            if self.fired:
                raise AnswerTimeoutError()
            self._conns.append(dbapi_conn)


def _ping_on_checkout(engine: Engine) -> None:
    """Track each pooled connection under the running Deadline, then ping it (a dropped one is replaced)."""

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        deadline = _ACTIVE.get()
        if deadline is not None:
            deadline.track(dbapi_conn)
        try:
            cur = dbapi_conn.cursor()
            try:
                cur.execute("SELECT 1")
                cur.fetchall()
            finally:
                cur.close()
        except Exception as e:  # noqa: BLE001 - any failure of the ping means "use another connection"
            if deadline is not None and deadline.fired:
                raise AnswerTimeoutError() from None
            raise DisconnectionError(f"ping failed: {e}") from None


def _sqlite_transactions(engine: Engine, memory: bool) -> None:
    """SQLite: WAL + busy timeout; writes BEGIN IMMEDIATE so concurrent writers queue, reads a deferred BEGIN."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let the "begin" hook below emit BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={LOCK_TIMEOUT * 1000}")
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # a read takes no write lock: in WAL mode it sees the last commit and never waits behind a writer
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


def open_engine(url: Any) -> tuple[Engine, bool]:
    """An engine for a parsed URL with every wait bounded, and whether it is SQLite (no socket to watch)."""
    backend = url.get_backend_name()
    kwargs: dict[str, Any] = {"connect_args": connect_args(backend)}
    is_sqlite = backend == "sqlite"
    memory = is_sqlite and url.database in (None, "", ":memory:")
    if memory:
        kwargs["poolclass"] = StaticPool
    elif not is_sqlite:
        kwargs["pool_timeout"] = CONNECT_TIMEOUT
        kwargs["pool_recycle"] = 1800  # a connection idle behind a firewall for hours is renewed, not trusted
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        _sqlite_transactions(engine, memory)
    else:
        _ping_on_checkout(engine)
    return engine, is_sqlite
