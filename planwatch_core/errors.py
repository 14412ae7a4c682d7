"""The one error type for bad input: it names the file, the place in it and what is wrong."""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """A problem with an input file that a person must fix. Quarantine records `file`, `place`, `reason`."""

    def __init__(self, file: str | Path, place: str, reason: str, hint: str = "") -> None:
        self.file = str(file)
        self.place = place
        self.reason = reason
        self.hint = hint
        message = f"{self.file}: {place}: {reason}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    def __reduce__(self) -> tuple:  # rebuilt from its parts when it crosses a process boundary
        return (type(self), (self.file, self.place, self.reason, self.hint))


class SettingsError(ValueError):
    """A setting (an environment variable or an option) that cannot be used; the message says which and why."""
