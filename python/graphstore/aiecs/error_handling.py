"""The reference's graph-storage exception names, over graphstore's errors.

Code written against the reference catches these names (`except
GraphStoreError`); here they are graphstore's own classes, so such a clause
catches what the drop-in stores raise for the same failure. ValueError and
RuntimeError keep their reference meaning (duplicates, missing endpoints, a
store used before initialize()) and are not among these.
"""
import graphstore as gs

__all__ = [
    "GraphStoreError", "GraphStoreConnectionError", "GraphStoreQueryError",
    "GraphStoreValidationError", "GraphStoreNotFoundError", "GraphStoreConflictError",
    "GraphStoreTimeoutError",
]

# Any failure of a store call.
GraphStoreError = gs.Error
# The backend cannot be reached (also what a degradation wrapper raises when
# both of its stores fail).
GraphStoreConnectionError = gs.UnavailableError
# A failure inside the backend.
GraphStoreQueryError = gs.InternalError
# Input the store refuses (an invalid tenant id, a malformed option).
GraphStoreValidationError = gs.InvalidArgumentError
# A record that must exist does not (graphstore's own calls; the drop-in's
# reference-shaped methods answer None or ValueError as the reference did).
GraphStoreNotFoundError = gs.NotFoundError
# An id that already exists (graphstore's own calls; the drop-in raises
# ValueError as the reference did).
GraphStoreConflictError = gs.AlreadyExistsError


class GraphStoreTimeoutError(gs.Error):
    """Kept for except clauses: graphstore reports a timed-out call as UnavailableError."""
