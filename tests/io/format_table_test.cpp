// The format table (core/src/io/format_table.*) behind every choice of
// format: names, extensions under ".gz", and the files a paired format reads
// and writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "graphstore/io.hpp"
#include "io/format_table.hpp"

namespace graphstore {
namespace {

using Paths = std::vector<std::filesystem::path>;

TEST(FormatTable, EveryRowsNameParsesBackToIt) {
  EXPECT_EQ(format_names(), (std::vector<std::string>{"jsonl", "json", "csv"}));
  for (const io::FormatRow& row : io::format_rows()) {
    Format parsed = Format::kJsonl;
    ASSERT_TRUE(parse_format(row.name, &parsed)) << row.name;
    EXPECT_EQ(parsed, row.format);
    EXPECT_STREQ(format_name(row.format), row.name);
    EXPECT_EQ(&io::format_row(row.format), &row);
  }
  Format untouched = Format::kJson;
  EXPECT_FALSE(parse_format("xml", &untouched));
  EXPECT_FALSE(parse_format("CSV", &untouched));
  EXPECT_EQ(untouched, Format::kJson);
}

TEST(FormatTable, TheExtensionUnderAFinalGzipChoosesTheFormatElseJsonl) {
  EXPECT_EQ(format_from_path("d/x.json"), Format::kJson);
  EXPECT_EQ(format_from_path("d/x.json.gz"), Format::kJson);
  EXPECT_EQ(format_from_path("x.csv.gz"), Format::kCsv);
  EXPECT_EQ(format_from_path("x.jsonl.gz"), Format::kJsonl);
  EXPECT_EQ(format_from_path("x.ndjson"), Format::kJsonl);
  EXPECT_EQ(format_from_path("x"), Format::kJsonl);
  EXPECT_EQ(format_from_path("x.gz"), Format::kJsonl);
  EXPECT_EQ(format_from_path("x.csv.bak"), Format::kJsonl);
}

TEST(FormatTable, APairedFormatReadsAndWritesItsTwoParts) {
  ImportOptions in;
  EXPECT_EQ(import_files("d/x.csv.gz", in), (Paths{"d/x.csv.gz", "d/x.entities.csv.gz", "d/x.relations.csv.gz"}));
  EXPECT_EQ(import_files("d/x.json", in), (Paths{"d/x.json"}));
  EXPECT_EQ(import_files("-", in), Paths{});
  in.format = Format::kCsv;
  EXPECT_EQ(import_files("x.txt", in), (Paths{"x.txt", "x.txt.entities.csv", "x.txt.relations.csv"}));

  ExportOptions out;
  EXPECT_EQ(export_files("x.csv", out), (Paths{"x.entities.csv", "x.relations.csv"}));
  EXPECT_EQ(export_files("x.jsonl.gz", out), (Paths{"x.jsonl.gz"}));
  out.gzip = true;
  EXPECT_EQ(export_files("x.csv", out), (Paths{"x.entities.csv.gz", "x.relations.csv.gz"}));
}

}  // namespace
}  // namespace graphstore
