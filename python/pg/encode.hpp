// Python query arguments turned into bound parameters of PQexecParams: text
// format for everything but bytes-like values (binary, so a bytea travels
// as its bytes). Every value is sent as a parameter, never spliced into SQL.
#ifndef GRAPHSTORE_PG_ENCODE_HPP
#define GRAPHSTORE_PG_ENCODE_HPP

#ifndef PY_SSIZE_T_CLEAN
#define PY_SSIZE_T_CLEAN
#endif
#include <Python.h>

#include <string>
#include <vector>

namespace graphstore::pg {

// The parameters of one statement, owning their text, with the pointer
// arrays libpq takes (valid while this object lives and is not changed).
struct Params {
  std::vector<std::string> text;
  std::vector<char> is_null;
  std::vector<int> formats;  // 0 text, 1 binary
  std::vector<const char*> values;
  std::vector<int> lengths;

  int size() const { return static_cast<int>(text.size()); }
  // Fills values and lengths from text/is_null; call after the last add.
  void finish();
};

// Imports what encoding needs (json.dumps, the datetime C API). Call once at
// module import with the GIL held; false with a Python error set on failure.
bool init_encode();

// Appends the parameters of args (a sequence, or None for none) to out.
// None is NULL; bool true/false; int and float their text (inf and nan as
// PostgreSQL spells them); str as is; bytes, bytearray and memoryview binary;
// date, time and datetime isoformat(); timedelta as days, seconds and microseconds; list and
// tuple an array literal; dict its JSON; numpy arrays and scalars as
// their tolist(); anything else str(value). False
// with a Python error set when a value cannot be converted. GIL held.
bool encode_params(PyObject* args, Params* out);

}  // namespace graphstore::pg

#endif  // GRAPHSTORE_PG_ENCODE_HPP
