"""The one family of errors a user can cause. Each message is fit to show as it is, in Chinese."""


class FupinError(Exception):
    """A refusal: the command changes nothing and exits 1 with this message."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(FupinError):
    """A value the user typed cannot be understood (a date, a case number, a number)."""


class NotFoundError(FupinError):
    """The thing named does not exist (a case, a unit, a duty)."""


class InvalidTransitionError(FupinError):
    """The workflow does not allow this step from the current state."""


class RuleViolationError(FupinError):
    """An office rule forbids this (extension cap, classified content, approval level...)."""


class BadFileError(FupinError):
    """A file given to fupin is malformed; the message names the line and the reason."""


class DatabaseError(FupinError):
    """The database cannot be opened, is from a newer fupin, or failed a check."""


class CalendarChangedWarning(UserWarning):
    """A read found the calendar's data changed since the stored deadlines were last rechecked."""


class ReferenceChangedWarning(CalendarChangedWarning):
    """A read found the shipped units or duty files changed since the database last loaded them
    (shown as the calendar's warning is: one line)."""


class OutputError(FupinError):
    """A file fupin was asked to write could not be written (name too long, disk full, permission)."""
