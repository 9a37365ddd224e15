"""Safe reading and appending of a JSON-lines ledger: nothing lost, nothing spoiled.

* **checked before work**: :func:`check_ledger` refuses a path that is not a
  regular file (``/dev/full``, ``/dev/zero``, a directory), an unreadable or
  unwritable one, and one with a malformed record -- before any case is run;
* **atomic appends**: :class:`LedgerWriter` writes each record with *one*
  ``os.write`` on an ``O_APPEND`` descriptor under an exclusive ``flock``
  (concurrent runs never interleave); a write that fails or is short is rolled
  back with ``ftruncate`` to the size before it; ``fsync`` on close;
* **self-healing**: a ledger whose last line lacks its newline gets one before
  the first new record (the new record is never glued to the old one);
* **results never discarded**: a record the ledger cannot take (disk full, I/O
  error) goes, with every later one, to a *side file* next to the ledger (or in
  the temp directory), and :meth:`LedgerWriter.close` raises
  :class:`LedgerWriteError` saying where they are;
* **strict reading**: :func:`read_records` decodes UTF-8 strictly and checks
  every field's type, each fault one :class:`~exactlift.errors.InputError`
  line ``LEDGER:LINE: ...``.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "l.jsonl"
>>> _ = p.write_text('{"conjecture": "c", "case": "n=1", "result": "holds"}')  # no final newline
>>> w = LedgerWriter(p); w.write({"conjecture": "c", "case": "n=2", "result": "holds"}); w.close()
>>> [r["case"] for r in read_records(p)]
['n=1', 'n=2']
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from exactlift.errors import ExactliftError, InputError

try:  # pragma: no cover - not on Windows
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

#: A ledger larger than this is refused on reading (raise it with EXACTLIFT_LEDGER_MAX_BYTES).
MAX_LEDGER_BYTES = int(os.environ.get("EXACTLIFT_LEDGER_MAX_BYTES", str(1 << 30)))

_STR_FIELDS = ("conjecture", "case", "result")
_OPT_STR_FIELDS = ("detail", "run", "strength", "commit", "version", "timestamp", "case_file")


class LedgerWriteError(ExactliftError):
    """The ledger could not take the records; they were saved to a side file the message names."""


def _regular(path: Path) -> None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"{path}: cannot use as a ledger: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: the ledger must be a regular file (this is a "
                         f"{'directory' if stat.S_ISDIR(st.st_mode) else 'device or special file'})")


def _check_record(path: Path, lineno: int, rec: Any) -> dict[str, Any]:
    where = f"{path}:{lineno}"
    if not isinstance(rec, dict):
        raise InputError(f"{where}: a record must be a JSON object, got {type(rec).__name__}")
    for k in _STR_FIELDS:
        if k not in rec:
            raise InputError(f"{where}: a record needs conjecture, case and result (missing {k!r})")
        if not isinstance(rec[k], str):
            raise InputError(f"{where}: field {k!r} must be a string, got {json.dumps(rec[k])[:40]}")
    for k in _OPT_STR_FIELDS:
        if rec.get(k) is not None and not isinstance(rec[k], str):
            raise InputError(f"{where}: field {k!r} must be a string or null, got {json.dumps(rec[k])[:40]}")
    sec = rec.get("seconds")
    if sec is not None and (isinstance(sec, bool) or not isinstance(sec, (int, float))):
        raise InputError(f"{where}: field 'seconds' must be a number or null, got {json.dumps(sec)[:40]}")
    return rec


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """Every record of the ledger at ``path`` in file order ([] when it does not exist).

    Raises :class:`~exactlift.errors.InputError` (one line, ``PATH:LINE:``) for a
    non-regular file, a file over :data:`MAX_LEDGER_BYTES`, invalid UTF-8, a
    line that is not JSON, or a record with a missing or mistyped field.
    """
    path = Path(path)
    _regular(path)
    if not path.exists():
        return []
    try:
        if path.stat().st_size > MAX_LEDGER_BYTES:
            raise InputError(f"{path}: the ledger is larger than {MAX_LEDGER_BYTES} bytes "
                             "(raise EXACTLIFT_LEDGER_MAX_BYTES)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the ledger: {exc.strerror}") from None
    out = []
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}:{lineno}: not UTF-8 (byte {exc.start + 1} of the line)") from None
        try:
            rec = json.loads(line, parse_constant=_no_constants)
        except (ValueError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)[:60]
            raise InputError(f"{path}:{lineno}: not a JSON record ({msg})") from None
        out.append(_check_record(path, lineno, rec))
    return out


def check_ledger(path: str | Path) -> list[dict[str, Any]]:
    """Check, before any work, that the ledger can be read, parsed and appended to; return its records.

    Creates the parent directory.  Raises :class:`~exactlift.errors.InputError`
    with one line when it cannot.
    """
    path = Path(path)
    records = read_records(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{path.parent}: cannot create the ledger's directory: {exc.strerror}") from None
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise InputError(f"{path}: the ledger is not writable")
    return records


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


class LedgerWriter:
    """Append records to a ledger one atomic write each (see the module docstring).

    ``write`` never raises on an I/O failure: the record goes to the side file;
    ``close`` fsyncs and raises :class:`LedgerWriteError` if anything went to
    the side file.  Opening raises :class:`~exactlift.errors.InputError` when
    the ledger cannot be opened for appending.
    """

    def __init__(self, path: str | Path, side_name: str = "unsaved") -> None:
        self.path = Path(path)
        _regular(self.path)
        self.side_name = side_name
        self.side_path: Path | None = None
        self.error: str | None = None
        self.written = 0
        self.diverted = 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot open the ledger for appending: {exc.strerror}") from None
        self._side_fd: int | None = None

    def _needs_newline(self) -> bool:
        size = os.fstat(self._fd).st_size  # type: ignore[arg-type]
        if size == 0:
            return False
        with open(self.path, "rb") as fh:
            fh.seek(size - 1)
            return fh.read(1) != b"\n"

    def _append_locked(self, data: bytes) -> None:
        fd = self._fd
        assert fd is not None
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            size = os.fstat(fd).st_size
            if self._needs_newline():
                data = b"\n" + data
            try:
                n = os.write(fd, data)
            except OSError:
                os.ftruncate(fd, size)
                raise
            if n != len(data):
                os.ftruncate(fd, size)
                raise OSError(28, f"short write ({n} of {len(data)} bytes)")
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def _divert(self, data: bytes) -> None:
        if self._side_fd is None:
            for folder in (self.path.parent, Path(tempfile.gettempdir())):
                cand = folder / f"{self.path.name}.{self.side_name}.jsonl"
                try:
                    self._side_fd = os.open(cand, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                    os.write(self._side_fd, b"")
                    self.side_path = cand
                    break
                except OSError:
                    self._side_fd = None
        if self._side_fd is None:
            raise LedgerWriteError(f"{self.path}: cannot append ({self.error}) and no side file could be written")
        try:
            os.write(self._side_fd, data)
        except OSError as exc:
            raise LedgerWriteError(f"{self.path}: cannot append ({self.error}); the side file "
                                   f"{self.side_path} failed too: {exc.strerror}") from None
        self.diverted += 1

    def write(self, record: dict[str, Any]) -> None:
        """Append one record (or, once the ledger failed, divert it to the side file)."""
        data = _line(record)
        if self.error is None:
            try:
                self._append_locked(data)
                self.written += 1
                return
            except OSError as exc:
                self.error = exc.strerror or str(exc)
        self._divert(data)

    def close(self) -> None:
        """fsync and close; raise :class:`LedgerWriteError` when records went to the side file."""
        for fd in (self._fd, self._side_fd):
            if fd is None:
                continue
            try:
                os.fsync(fd)
            except OSError as exc:
                if self.error is None and fd == self._fd:
                    self.error = exc.strerror
            finally:
                os.close(fd)
        self._fd = self._side_fd = None
        if self.diverted:
            raise LedgerWriteError(f"{self.path}: cannot append ({self.error}); {self.diverted} record(s) "
                                   f"saved to {self.side_path} instead ({self.written} appended)")

    def __enter__(self) -> "LedgerWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


__all__ = ["LedgerWriter", "LedgerWriteError", "read_records", "check_ledger", "MAX_LEDGER_BYTES"]
