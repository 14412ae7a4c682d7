"""Both ends of a build's dbt process: DbtWorker, in the build, and `main`, the process itself
(`python -m orchestration.dbt_worker PROTOCOL_FD PARENT_PID`).

A run in one interpreter does one thing at a time on one of two cores (bench/RESULTS.md): importing dbt, parsing the
project, running the models and storing Dagster's events all queue behind each other. `planwatch build` starts this
process before it imports Dagster (this module imports neither Dagster nor dbt at its top), so dbt is imported, the
project parsed and its macros compiled here while the build imports Dagster and lands the inbox, and the models run
here while the build stores the events of the nodes already done (orchestration/dbt_process.py turns them into
Dagster events).

Requests arrive on the process's standard input, one JSON object a line:
  {"parse": [dbt arguments]}                  parse the project now and keep the manifest (no JSON artifacts), then
                                               compile its macros until the next request arrives; replies
                                               {"ready": {"parsed": …, "macros_ready": …}}
  {"build": [command], "common": [arguments]}  run `dbt <command> <common>`, reusing the kept manifest when it was
                                               parsed with exactly these common arguments, then exit
Replies go to the file descriptor PROTOCOL_FD, one JSON object a line: {"event": …} for each node's result as dbt
reports it (dbt's own JSON log form, which dagster-dbt turns into Dagster events), then {"done": {"success": …,
"errors": […], "exception": …, "parsed_before": …, "macros_ready": …}}. dbt prints its usual lines to standard
output, which the build relays.

The process lives only as long as its parent: it is killed when the parent dies (Linux's parent-death signal) and
exits at once when its standard input closes, also in the middle of a build, so no dbt outlives the writer lock its
parent held."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import IO, Any, TextIO

# dbt's events that carry a node's result (what dagster-dbt turns into an Output or an asset check result)
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})
PR_SET_PDEATHSIG = 1
STOP_GRACE_S = 10.0  # how long a dbt process told to stop may take before it is killed


class DbtWorker:
    """One dbt process (`main` below): asked to parse at most once, to build once, then it exits."""

    def __init__(self, process: subprocess.Popen, replies: IO[str]) -> None:
        self._process, self._replies = process, replies
        self._relay = threading.Thread(target=self._relay_output, name="dbt-output", daemon=True)
        self._relay.start()
        self.used = False

    @classmethod
    def start(cls) -> DbtWorker:
        read_end, write_end = os.pipe()
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "orchestration.dbt_worker", str(write_end), str(os.getpid())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                pass_fds=(write_end,),
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)
        return cls(process, os.fdopen(read_end, encoding="utf-8"))

    def _relay_output(self) -> None:
        """dbt's lines to this process's standard output as it is now (a log file under `planwatch build --quiet`)."""
        assert self._process.stdout is not None
        for line in self._process.stdout:
            sys.stdout.write(line)

    def alive(self) -> bool:
        return self._process.poll() is None and not self.used

    def _send(self, request: dict[str, Any]) -> None:
        """A process that has gone (dbt failed to import, it was killed) is not an error here: the build that
        follows reports how it ended, and a parse it never got only costs the build its own parse."""
        assert self._process.stdin is not None
        with contextlib.suppress(BrokenPipeError, ValueError):  # ValueError: its input is already closed
            self._process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self._process.stdin.flush()

    def parse(self, common: Sequence[str]) -> None:
        """Parse the project now, with the arguments every dbt command of this run gets
        (orchestration/dbt_arguments.py)."""
        self._send({"parse": list(common)})

    def build(self, command: Sequence[str], common: Sequence[str]) -> Iterator[dict[str, Any]]:
        """dbt's node results as they come, then the outcome (`{"done": …}`) as the last item; when the caller
        stops early the process is stopped before this returns, so dbt never writes after its step ended."""
        self.used = True
        self._send({"build": list(command), "common": list(common)})
        finished = False
        try:
            for line in self._replies:
                try:
                    reply = json.loads(line)
                except json.JSONDecodeError:  # a line cut short: the process died while writing it
                    break
                if "ready" in reply:  # how the early parse went: the build's outcome says it again
                    continue
                finished = "done" in reply
                yield reply
                if finished:
                    break
            if not finished:
                yield {"done": {"success": False, "errors": [], "exception": self._ended_early()}}
        finally:
            self.stop(wait_first=finished)

    def _ended_early(self) -> str:
        code = self._process.wait()
        return f"the dbt process ended (exit code {code}) before reporting its result; see dbt.log in the target folder"

    def stop(self, wait_first: bool = False) -> None:
        """Let a finished process exit by itself (it closes its databases first); stop an unfinished one by closing
        its standard input, and kill it if it does not go."""
        if wait_first:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=STOP_GRACE_S)
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._relay.join()
        self._replies.close()


class DbtWorkers:
    """Where the dbt step gets its dbt process: the one `planwatch build` started early, or a new one."""

    def __init__(self, started: DbtWorker | None = None) -> None:
        self._started = started

    def take(self) -> DbtWorker:
        started, self._started = self._started, None
        if started is not None and started.alive():
            return started
        if started is not None:
            started.stop()
        return DbtWorker.start()


# ---- the dbt process: nothing above this line runs in it but the imports ----


class Replies:
    """The protocol stream; dbt calls `event` from its own threads."""

    def __init__(self, stream: TextIO) -> None:
        self._stream, self._lock = stream, threading.Lock()
        self.errors: list[str] = []

    def send(self, reply: dict[str, Any]) -> None:
        line = json.dumps(reply, ensure_ascii=False, default=str)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def event(self, message: Any) -> None:
        info = message.info
        if info.level == "error" and info.msg:
            self.errors.append(info.msg)
        if info.name in RESULT_EVENTS:
            from dbt_common.events.functions import msg_to_dict  # dbt's JSON log line as a dict

            self.send({"event": msg_to_dict(message)})


def _die_with_parent(parent: int) -> None:
    """SIGKILL when the parent dies (Linux); elsewhere the closed standard input still ends this process."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


class Requests:
    """The parent's requests, read by a thread of their own: the process can tell that one is waiting while it
    readies macros, and it exits at once when its input closes after a build was asked (the parent has gone, or
    stopped the step): what a kill would do; the served warehouse is never written here."""

    def __init__(self, stdin: TextIO) -> None:
        self._waiting: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._building = False
        threading.Thread(target=self._read, args=(stdin,), name="requests", daemon=True).start()

    def _read(self, stdin: TextIO) -> None:
        for line in iter(stdin.readline, ""):
            request = json.loads(line)
            self._building = self._building or "build" in request
            self._waiting.put(request)
        if self._building:
            os._exit(1)
        self._waiting.put(None)  # input closed before any build: nothing more will come

    def next(self) -> dict[str, Any] | None:
        return self._waiting.get()

    def pending(self) -> bool:
        return not self._waiting.empty()


def parse(arguments: Sequence[str]) -> Any | None:
    """The project's manifest, parsed as the build will parse it (partial parsing included), or None when it does
    not parse: the build then parses again and reports the error in its own result."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(["parse", "--no-write-json", "--quiet", *arguments])
    return result.result if result.success else None


def ready_macros(manifest: Any, requests: Requests) -> int:
    """Compile the Jinja templates of the project's macros now, while nothing is asked: dbt compiles each the first
    time a node calls it, in the build's threads (≈ 2 ms each, ≈ 0.7 s of a night at N = 1). Into dbt's own
    template cache, keyed by the macro's text, exactly as dbt would fill it. The project's macros first, then the
    adapter's, then dbt's; it stops as soon as a request arrives, and the build compiles the rest as it needs
    them. Returns how many are ready."""
    from dbt_common.clients.jinja import template_cache

    def rank(macro: Any) -> int:
        return {"dbt_duckdb": 1, "dbt": 2}.get(macro.package_name, 0)

    ready = 0
    for macro in sorted(manifest.macros.values(), key=rank):
        if requests.pending():
            break
        template_cache.get_node_template(macro)
        ready += 1
    return ready


def build(
    command: Sequence[str], common: Sequence[str], manifest: Any | None, macros_ready: int, replies: Replies
) -> None:
    from dbt.cli.main import dbtRunner

    outcome: dict[str, Any] = {
        "success": False,
        "errors": replies.errors,
        "exception": None,
        "parsed_before": manifest is not None,
        "macros_ready": macros_ready,
    }
    try:
        result = dbtRunner(manifest=manifest, callbacks=[replies.event]).invoke([*command, *common])
        outcome["success"] = bool(result.success)
        outcome["exception"] = str(result.exception) if result.exception is not None else None
    except BaseException as error:  # reported to the parent, never lost here
        outcome["exception"] = f"{type(error).__name__}: {error}"
    replies.send({"done": outcome})


def serve(requests: Requests, replies: Replies) -> None:
    manifest, parsed_with, macros_ready = None, None, 0
    while (request := requests.next()) is not None:
        if "parse" in request:
            parsed_with = list(request["parse"])
            manifest = parse(parsed_with)
            macros_ready = ready_macros(manifest, requests) if manifest is not None else 0
            replies.send({"ready": {"parsed": manifest is not None, "macros_ready": macros_ready}})
        elif "build" in request:
            common = list(request["common"])
            reuse = manifest if common == parsed_with else None
            build(request["build"], common, reuse, macros_ready if reuse is not None else 0, replies)
            return


def close_databases() -> None:
    """dbt-duckdb keeps its databases open in a class attribute after dbt returns and closes them only at
    interpreter exit; they are closed here, checkpointed, before this process reports its end by exiting, so the
    parent's publish step opens files no process holds and nothing waits in a WAL. dbt's adapters are dropped too:
    the named semaphores they hold are released here, since the exit skips the interpreter's own clean-up (which
    would leave them to multiprocessing's resource tracker and its "leaked semaphore" warning)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.adapters.factory import reset_adapters

    with DuckDBConnectionManager._LOCK:
        environment, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
        if environment is not None:
            environment.close()
    reset_adapters()
    gc.collect()


def main(argv: Sequence[str]) -> None:
    protocol_fd, parent = int(argv[0]), int(argv[1])
    _die_with_parent(parent)
    # dbt and its adapter are imported now, while the parent is busy, not when the build asks
    import dbt.adapters.duckdb
    import dbt.cli.main  # noqa: F401
    import dbt_common.events.functions  # noqa: F401

    with os.fdopen(protocol_fd, "w", encoding="utf-8") as stream:
        serve(Requests(sys.stdin), Replies(stream))
    close_databases()
    sys.stdout.flush()
    os._exit(0)  # dbt's own exit handlers have nothing left to do; skipping them saves the interpreter's teardown


if __name__ == "__main__":
    main(sys.argv[1:])
