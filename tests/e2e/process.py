"""The real ``iku-bot`` process under test, and its SQLite database read from the outside.

``BotProcess`` starts ``python -m bot`` (the ``iku-bot`` entry point) with the settings of
one test in the environment and a temporary working folder, waits until it long-polls the
wire layer, kills it with SIGKILL when told (or notices that a fail point did), and starts
it again on the same database. Its standard output and error go to one log file per start,
which the e2e conftest shows when the test fails.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.wire import WireServer

__all__ = ["BotProcess", "Database", "START_TIMEOUT", "all_recorded"]

START_TIMEOUT = 30.0  # seconds a process may take until its first getUpdates
SKM_SECRET = "e2e-secret-0123456789abcdef0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class BotProcess:
    """One test's bot: the same token, database and folder across restarts."""

    wire: WireServer
    token: str
    database: Path
    workdir: Path
    admin_ids: Collection[int] = ()
    log_level: str = "INFO"
    extra_env: Mapping[str, str] = field(default_factory=dict)
    pycache: Path | None = None  # compiled modules shared by the session's processes
    logs: list[Path] = field(default_factory=list)
    start_seconds: list[float] = field(default_factory=list)  # per start: until it polled
    process: subprocess.Popen[bytes] | None = None

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database}"

    def environment(self, failpoints: Collection[str]) -> dict[str, str]:
        """The parent's environment without any iku-bot setting, then this test's."""
        from bot.config import Settings

        ours = {name.upper() for name in Settings.model_fields} | {"IKU_FAILPOINTS"}
        env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
        if self.pycache is not None:
            # Importing the bot compiles some 40 MB of modules; without a cache every start
            # pays it again. The cache lives outside the source tree and the environment.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": self.token,
                "DATABASE_URL": self.database_url,
                "TELEGRAM_API_BASE_URL": self.wire.api_url,
                "ADMIN_TELEGRAM_IDS": ",".join(str(i) for i in self.admin_ids),
                "SKM_SECRET": SKM_SECRET,
                "SKM_SECRET_FILE": str(self.workdir / "skm-secret.key"),
                "LOG_LEVEL": self.log_level,
                "IKU_FAILPOINTS": ",".join(failpoints),
                # Scheduled jobs would write to the users on their own clock.
                "DIGEST_SCHEDULE": "nonaktif",
                "REMINDER_SCHEDULE": "nonaktif",
                "PYTHONUNBUFFERED": "1",
                "PYTHONPATH": os.pathsep.join(
                    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
                ),
            }
        )
        env.update(self.extra_env)
        return env

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    async def start(self, failpoints: Collection[str] = (), *, wait: bool = True) -> float:
        """Start the process; with ``wait``, return once it polls (seconds it took)."""
        if self.running:
            raise RuntimeError("the bot process is already running")
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = self.workdir / f"bot-{len(self.logs) + 1}.log"
        self.logs.append(log)
        polls = self.wire.polls(self.token)
        began = time.monotonic()
        self.process = self._spawn(log, failpoints)
        if not wait:
            return 0.0
        deadline = began + START_TIMEOUT
        while self.wire.polls(self.token) == polls:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the bot exited with {self.process.returncode} before polling:\n"
                    + log.read_text(errors="replace")
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not poll within {START_TIMEOUT} s")
            await asyncio.sleep(0.02)
        took = time.monotonic() - began
        self.start_seconds.append(took)
        return took

    def _spawn(self, log: Path, failpoints: Collection[str]) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            out.write(f"$ IKU_FAILPOINTS={','.join(failpoints)} python -m bot\n".encode())
            out.flush()
            return subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=self.workdir,
                env=self.environment(failpoints),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL, at once, as a power cut or the OOM killer would."""
        process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(10)

    async def died(self, within: float = 10.0) -> int:
        """Wait until the process ends on its own (a fail point); its return code."""
        process = self.process
        assert process is not None, "never started"
        deadline = time.monotonic() + within
        while process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the bot did not stop within {within} s (is the fail point placed?)"
                )
            await asyncio.sleep(0.02)
        return int(process.returncode)

    async def restart(self, failpoints: Collection[str] = ()) -> float:
        """Kill if still running, then start again on the same database."""
        self.kill()
        return await self.start(failpoints)

    def stop(self) -> None:
        """End of the test: the process goes (SIGKILL: nothing to tidy in a test)."""
        self.kill()

    def output(self) -> str:
        """Everything every start of this process printed."""
        return "\n".join(
            f"--- {path.name} ---\n{path.read_text(errors='replace')}"
            for path in self.logs
            if path.exists()
        )


class Database:
    """The test's SQLite file, read with plain SQL (as an operator would look at it)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            return list(connection.execute(sql, params))
        finally:
            connection.close()

    def value(self, sql: str, *params: Any) -> Any:
        rows = self.rows(sql, *params)
        assert len(rows) == 1, rows
        return rows[0][0]

    def count(self, table: str, where: str = "1=1", *params: Any) -> int:
        return int(self.value(f"SELECT count(*) FROM {table} WHERE {where}", *params))

    def incidents(self) -> list[tuple[int, str, str]]:
        """(id, nomor, status) of every incident."""
        return [
            (int(r[0]), str(r[1]), str(r[2]))
            for r in self.rows("SELECT id, nomor, status FROM incident ORDER BY id")
        ]

    def status_changes(self, incident_id: int, to_status: str) -> int:
        return self.count(
            "incident_event", "incident_id = ? AND to_status = ?", incident_id, to_status
        )

    def outbox(self) -> list[tuple[int, int, str, int]]:
        """(id, chat_id, status, attempts) of every outbox row (none before the outbox)."""
        try:
            rows = self.rows("SELECT id, chat_id, status, attempts FROM outbox ORDER BY id")
        except sqlite3.OperationalError:
            return []
        return [(int(r[0]), int(r[1]), str(r[2]), int(r[3])) for r in rows]


async def all_recorded(database: Database, patience: float = 10.0) -> None:
    """Wait until no outbox row is pending (every delivery recorded)."""
    # Another process writes the rows: polled, as nothing here can be awaited for them.
    for _ in range(int(patience / 0.05)):
        if not any(status == "pending" for _, _, status, _ in database.outbox()):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"outbox still pending after {patience} s: {database.outbox()}")
