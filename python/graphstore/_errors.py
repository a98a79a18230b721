"""The exceptions of graphstore: one class per status code under Error.

Kept apart from the extension so that the extension can raise them (it
imports this module when it loads) and pure-Python code can catch them.
"""


class Error(Exception):
    """A call into a store failed. `.code` is the status name ("NOT_FOUND",
    ...), `.message` the store's text; `.index` names the failing item of a
    batch, or is None."""

    code = "UNKNOWN"

    def __init__(self, code=None, message="", index=None):
        if code is not None:
            self.code = code
        self.message = message
        self.index = index
        super().__init__(f"{self.code}: {message}" if message else self.code)


class NotFoundError(Error):
    code = "NOT_FOUND"


class AlreadyExistsError(Error):
    code = "ALREADY_EXISTS"


class InvalidArgumentError(Error, ValueError):
    code = "INVALID_ARGUMENT"


class UnsupportedError(Error):
    code = "UNSUPPORTED"


class UnavailableError(Error):
    code = "UNAVAILABLE"


class ResourceExhaustedError(Error):
    code = "RESOURCE_EXHAUSTED"


class CorruptionError(Error):
    code = "CORRUPTION"


class PermissionDeniedError(Error):
    code = "PERMISSION_DENIED"


class InternalError(Error):
    code = "INTERNAL"


class AbiMismatchError(Error):
    code = "ABI_MISMATCH"


class FailedPreconditionError(Error):
    """A call on a closed store (not an ABI status: the store is gone)."""

    code = "FAILED_PRECONDITION"


# Status name -> class; the extension raises BY_CODE.get(code, Error).
BY_CODE = {cls.code: cls for cls in (
    NotFoundError, AlreadyExistsError, InvalidArgumentError, UnsupportedError,
    UnavailableError, ResourceExhaustedError, CorruptionError,
    PermissionDeniedError, InternalError, AbiMismatchError,
    FailedPreconditionError)}
