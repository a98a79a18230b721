// Streaming export and import of a whole store: JSONL (the reference's
// format, docs/record-format.md), JSON and CSV, each plain or gzip.
// docs/streaming.md describes the formats, the CSV layout and the policies.
//
// Both directions run in constant memory whatever the size of the store or
// the file: export pages through the store's id-ordered scans; import reads
// one record at a time and writes batches of batch_size records, each one
// Store::apply (one transaction). Neither holds the file or the store.
// Calls on different stores may run in parallel; one call uses one thread.
#ifndef GRAPHSTORE_IO_HPP
#define GRAPHSTORE_IO_HPP

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graphstore/status.hpp"
#include "graphstore/store.hpp"

namespace graphstore {

enum class Format { kJsonl, kJson, kCsv };

// "jsonl", "json", "csv".
const char* format_name(Format f);
// Parses a format name; false when unknown.
bool parse_format(std::string_view name, Format* out);
// Every format's name, the default (format_from_path's fallback) first.
std::vector<std::string> format_names();
// The format a file name implies: .json → JSON, .csv → CSV, anything else
// (.jsonl, .ndjson, none) → JSONL; a final ".gz" is looked through.
Format format_from_path(const std::filesystem::path& path);

// Where a long operation stands, handed to a ProgressFn.
struct Progress {
  std::string_view phase;    // "export", "import", "relations (deferred)", "entities", "relations", "verify"
  uint64_t records = 0;      // records done so far
  uint64_t total = 0;        // records expected; 0 when unknown
  uint64_t bytes = 0;        // input bytes consumed (import), 0 otherwise
  uint64_t bytes_total = 0;  // input size (import); 0 when unknown
};
// Called every few thousand records and once at the end of each phase, on
// the calling thread. Returning false stops the operation cleanly (what is
// committed stays; the call returns UNAVAILABLE "stopped").
using ProgressFn = std::function<bool(const Progress&)>;

// Records per tenant ("" is the global namespace).
struct TenantCounts {
  uint64_t entities = 0;
  uint64_t relations = 0;
  bool operator==(const TenantCounts&) const = default;
};

struct ExportOptions {
  std::optional<Format> format;       // default: format_from_path
  std::optional<bool> gzip;           // default: the file name ends in ".gz"
  int gzip_level = 6;                 // zlib's 1 (fast) .. 9 (small)
  std::optional<std::string> tenant;  // one tenant ("" = global); default: the global one and every listed tenant
  // Only entities of these types (empty: every type), and only the relations
  // whose two endpoints are among the exported entities, so that the file
  // imports without dangling relations.
  std::vector<std::string> entity_types;
  uint64_t page_size = 10000;  // records per scan call
  // CSV only: a text cell starting with = + - @ TAB or CR gets a leading ',
  // so that a spreadsheet opening the file shows it instead of running it as a
  // formula (OWASP's advice against CSV injection). Off by default: such a
  // file no longer holds the values byte for byte (an import keeps the ').
  bool csv_formula_guard = false;
  ProgressFn progress;
};

struct ExportReport {
  std::vector<std::string> files;  // written (CSV: two)
  Format format = Format::kJsonl;
  bool gzip = false;
  uint64_t entities = 0;
  uint64_t relations = 0;
  std::map<std::string, TenantCounts> tenants;
  double seconds = 0;
};

// Writes every entity, then every relation, of the chosen tenants to path
// ("-": standard output), each in id order within its tenant. The data goes
// to PATH.partial and is renamed into place at the end, so a failed export
// leaves no complete-looking file. CSV writes two files (docs/streaming.md).
// Errors: the store's status, or INVALID_ARGUMENT / INTERNAL for the file.
Status export_store(Store& store, const std::filesystem::path& path, const ExportOptions& options,
                    ExportReport* report);

// The files export_store(path, options) would write, computed without
// touching anything: path itself, or for CSV its two parts with the gzip
// suffix the options imply; empty for "-" (standard output). A host checks
// them before exporting, e.g. that none is the store's own file.
std::vector<std::filesystem::path> export_files(const std::filesystem::path& path, const ExportOptions& options);

enum class OnError {
  kAbort,  // stop at the first bad record; its batch is not written
  kSkip,   // write the bad record with its reason to the rejects file, go on
};
enum class OnConflict {
  kError,    // an id that exists (in the store or earlier in the file) is a bad record
  kSkip,     // keep the stored record, count the duplicate
  kReplace,  // update the stored record (created_at stays the stored one)
};

// How an import reads gzip input. gzip checks a member's CRC only at the
// member's end, so records decoded before it may come from damaged data.
enum class GzipCheck {
  kVerifyFirst,  // read each gzip input through once first: nothing is written unless every member verifies
  kStream,       // decode as the data arrives: no second pass, but a damaged member's records may be committed
};

// The largest ImportOptions::max_line_bytes: no backend stores a longer
// record (SQLite's default limit on a string or blob is 1,000,000,000
// bytes; PostgreSQL's on a field is 1 GiB; the in-memory backend has
// max_memory_mb), and the reader holds up to one line in memory.
inline constexpr uint64_t kMaxLineBytesLimit = 1000000000;

struct ImportOptions {
  std::optional<Format> format;  // default: format_from_path
  uint64_t batch_size = 5000;    // records per Store::apply
  OnError on_error = OnError::kAbort;
  OnConflict on_conflict = OnConflict::kError;
  // kSkip: where rejected records go; default "FILE.rejected.jsonl".
  std::filesystem::path rejects;
  // Every record into this tenant ("" = global), whatever its tenant_id
  // says; default: each record into its own tenant_id.
  std::optional<std::string> tenant;
  // A longer line (CSV record, JSON element) is a bad record; 1 to
  // kMaxLineBytesLimit.
  uint64_t max_line_bytes = 64ull << 20;
  // Deferred relations, and the copy of a gzip stream that is not a regular
  // file (GzipCheck::kVerifyFirst); default: the system's temp directory.
  // Must be a writable directory: checked before anything is written.
  std::filesystem::path spool_dir;
  GzipCheck gzip_check = GzipCheck::kVerifyFirst;
  ProgressFn progress;
};

// The files import_file(path, options) may read, computed without touching
// anything: path itself and, for CSV, the pair it falls back to when path
// does not exist ("X.csv" -> "X.entities.csv" and "X.relations.csv"); empty
// for "-" (standard input). A host checks them before importing, e.g. that
// none is the store's own file.
std::vector<std::filesystem::path> import_files(const std::filesystem::path& path, const ImportOptions& options);

// The rejects file import_file writes when options.rejects is empty:
// "PATH.rejected.jsonl", or "stdin.rejected.jsonl" for "-".
std::filesystem::path default_rejects_path(const std::filesystem::path& path);

struct ImportReport {
  std::vector<std::string> files;  // read
  Format format = Format::kJsonl;
  bool gzip = false;
  uint64_t records = 0;  // read, good or bad
  uint64_t entities_added = 0, relations_added = 0;
  uint64_t entities_replaced = 0, relations_replaced = 0;
  uint64_t entity_duplicates = 0, relation_duplicates = 0;  // skipped (OnConflict::kSkip)
  uint64_t rejected = 0;
  uint64_t deferred_relations = 0;  // read before an endpoint existed, applied after the last entity
  uint64_t batches = 0;             // committed
  std::string rejects_file;         // set when records were rejected
  // When the import stopped early: the record that stopped it.
  std::string error_file;
  uint64_t error_line = 0;
  double seconds = 0;
};

// Reads path ("-": standard input) into store. Entities are written before
// the relations that need them whatever the file's order: a relation whose
// endpoint is missing when its batch is written waits in a spool file and
// is written after the last entity; one whose endpoint never appears is a
// bad record ("dangling"). On OK every record was imported, skipped as a
// duplicate or rejected (on_error kSkip). Otherwise the status says
// "FILE:LINE: cause" (also in report->error_file/error_line): the batch
// holding the bad record is not written, batches committed before it stay
// (report->batches; importing again with OnConflict::kSkip resumes). Input
// that ends the stream (a truncated or corrupt gzip stream, a read error, a
// JSON document whose structure breaks) stops the import under either policy;
// with GzipCheck::kVerifyFirst (the default) a gzip input that does not
// verify stops it before anything is written. Bad options (batch_size or
// max_line_bytes out of range, a spool_dir that is not a writable
// directory, an invalid tenant) are INVALID_ARGUMENT before anything is read.
Status import_file(Store& store, const std::filesystem::path& path, const ImportOptions& options, ImportReport* report);

}  // namespace graphstore

#endif  // GRAPHSTORE_IO_HPP
