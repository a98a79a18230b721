// Result values of PostgreSQL's text format turned into Python objects by
// their type OID, as asyncpg returns them: bool, int, float, Decimal for
// numeric, str for text and json/jsonb, bytes for bytea, naive datetime for
// timestamp, UTC-aware datetime for timestamptz, date, time, uuid.UUID, and
// lists for one- or many-dimensional arrays of these. Any other type comes
// back as its text (str).
#ifndef GRAPHSTORE_PG_DECODE_HPP
#define GRAPHSTORE_PG_DECODE_HPP

#include <libpq-fe.h>
#ifndef PY_SSIZE_T_CLEAN
#define PY_SSIZE_T_CLEAN
#endif
#include <Python.h>

namespace graphstore::pg {

// Imports what decoding needs (datetime C API, decimal, uuid). Call once, at
// module import, with the GIL held; false with a Python error set on failure.
bool init_decode();

// A new reference to the Python value of text (len bytes, NUL-terminated, as
// PQgetvalue gives it) of type oid; nullptr with a Python error set when the
// text is not valid UTF-8 or a constructor raised. The GIL must be held.
PyObject* decode_value(Oid oid, const char* text, int len);

}  // namespace graphstore::pg

#endif  // GRAPHSTORE_PG_DECODE_HPP
