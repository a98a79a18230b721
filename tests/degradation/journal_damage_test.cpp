// The degradation journal under damage: truncated at every byte of its last
// records, a bit flipped in every byte of every field, an append that fails
// halfway, and a journal of the first format. Each time opening must keep
// every whole record before the damage (and replay them), drop the rest into
// a file of its own, and say what it dropped and why.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>
#include <zlib.h>

#include "journal.hpp"

namespace graphstore::degradation {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class JournalDamage : public ::testing::Test {
 protected:
  void SetUp() override {
    // On tmpfs where there is one: the sweeps below open and repair the
    // journal thousands of times, and each repair syncs twice; what is tested
    // is what the journal does with the bytes, not the disk's durability.
    fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir_ = base / ("graphstore-journal-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path path() const { return dir_ / "journal"; }

  // A journal of `payloads`, the first `replayed` of them marked replayed;
  // its bytes, and each record's offset (plus the end) in *offsets.
  std::string make(const std::vector<std::string>& payloads, size_t replayed, std::vector<uint64_t>* offsets) {
    fs::remove(path());
    std::unique_ptr<Journal> j;
    EXPECT_TRUE(Journal::open(path().string(), &j).ok());
    offsets->clear();
    for (const auto& p : payloads) {
      offsets->push_back(j->end());
      EXPECT_TRUE(j->append(p).ok());
    }
    offsets->push_back(j->end());
    if (replayed > 0) {
      EXPECT_TRUE(j->mark_replayed((*offsets)[replayed], replayed).ok());
    }
    j.reset();
    return slurp(path());
  }

  // Every record from begin() to end().
  static std::vector<std::string> records(const Journal& j) {
    std::vector<std::string> out;
    std::string payload;
    for (uint64_t at = j.begin(), next = 0; at < j.end(); at = next) {
      sdk::Status s = j.read(at, &payload, &next);
      EXPECT_TRUE(s.ok()) << s.message;
      if (!s.ok()) break;
      out.push_back(payload);
    }
    return out;
  }

  std::vector<fs::path> damaged_files() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().filename().string().rfind("journal.damaged-", 0) == 0) out.push_back(e.path());
    return out;
  }
  void remove_damaged_files() const {
    for (const auto& p : damaged_files()) fs::remove(p);
  }

  fs::path dir_;
  const std::vector<std::string> payloads_ = {"first record", "second, a little longer record", "third",
                                              std::string(40, 'x'), "last record of the journal"};
};

TEST_F(JournalDamage, ASoundJournalOpensWithNothingRepaired) {
  std::vector<uint64_t> at;
  make(payloads_, 2, &at);
  std::unique_ptr<Journal> j;
  ASSERT_TRUE(Journal::open(path().string(), &j).ok());
  EXPECT_TRUE(j->repairs().empty());
  EXPECT_EQ(records(*j), payloads_);
  EXPECT_EQ(j->replayed(), at[2]);
  EXPECT_EQ(j->pending(), payloads_.size() - 2);
  EXPECT_TRUE(damaged_files().empty());
}

TEST_F(JournalDamage, TruncatedAtEveryByteOfItsLastRecordsKeepsTheWholeOnesBefore) {
  std::vector<uint64_t> at;
  const std::string bytes = make(payloads_, 1, &at);
  const size_t n = payloads_.size();
  for (uint64_t cut = at[n - 2]; cut < bytes.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    spit(path(), bytes.substr(0, cut));
    size_t whole = cut < at[n - 1] ? n - 2 : n - 1;
    std::unique_ptr<Journal> j;
    sdk::Status s = Journal::open(path().string(), &j);
    ASSERT_TRUE(s.ok()) << s.message;
    EXPECT_EQ(records(*j), std::vector<std::string>(payloads_.begin(), payloads_.begin() + whole));
    EXPECT_EQ(j->pending(), whole - 1);
    EXPECT_EQ(j->end(), at[whole]);
    EXPECT_EQ(fs::file_size(path()), at[whole]) << "the torn tail is cut off";
    if (cut == at[whole]) {
      EXPECT_TRUE(j->repairs().empty());
    } else {
      ASSERT_EQ(j->repairs().size(), 1u);
      const JournalRepair& r = j->repairs()[0];
      EXPECT_FALSE(r.damaged) << "a cut end is a torn append: " << r.message;
      EXPECT_EQ(r.offset, at[whole]);
      EXPECT_EQ(r.dropped_bytes, cut - at[whole]);
      EXPECT_NE(r.message.find("offset " + std::to_string(at[whole])), std::string::npos) << r.message;
      EXPECT_NE(r.message.find("cut short"), std::string::npos) << r.message;
      // The dropped bytes are kept, unless too few to hold a frame.
      auto kept = damaged_files();
      if (r.dropped_bytes >= 12) {
        ASSERT_EQ(kept.size(), 1u);
        EXPECT_EQ(slurp(kept[0]), bytes.substr(at[whole], cut - at[whole]));
        EXPECT_NE(r.message.find(kept[0].string()), std::string::npos) << r.message;
      } else {
        EXPECT_TRUE(kept.empty());
      }
    }
    // Appends go on after the cut and survive a reopen.
    ASSERT_TRUE(j->append("after the cut").ok());
    j.reset();
    ASSERT_TRUE(Journal::open(path().string(), &j).ok());
    EXPECT_TRUE(j->repairs().empty());
    EXPECT_EQ(records(*j).back(), "after the cut");
    j.reset();
    remove_damaged_files();
  }
}

TEST_F(JournalDamage, ABitFlippedInAnyByteIsDetectedAndEverythingBeforeItKept) {
  std::vector<uint64_t> at;
  const size_t replayed = 1;
  const std::string bytes = make(payloads_, replayed, &at);
  const size_t n = payloads_.size();
  for (uint64_t byte = 0; byte < bytes.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      SCOPED_TRACE("byte " + std::to_string(byte) + " bit " + std::to_string(bit));
      std::string flipped = bytes;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      spit(path(), flipped);
      std::unique_ptr<Journal> j;
      sdk::Status s = Journal::open(path().string(), &j);
      if (byte < 8) {
        // The magic and format byte: not a journal this build may touch.
        EXPECT_EQ(s.code, GS_CORRUPTION);
        EXPECT_NE(s.message.find(path().string()), std::string::npos) << s.message;
        EXPECT_EQ(slurp(path()), flipped) << "left as found";
        continue;
      }
      ASSERT_TRUE(s.ok()) << s.message;
      ASSERT_FALSE(j->repairs().empty()) << "every single-bit flip is detected";
      if (byte < Journal::kHeaderSize) {
        // The replay offset or the header's checksum: every record is kept
        // and will be replayed again (replay is idempotent).
        EXPECT_EQ(records(*j), payloads_);
        EXPECT_EQ(j->pending(), n);
        EXPECT_NE(j->repairs()[0].message.find("replayed again"), std::string::npos) << j->repairs()[0].message;
        j.reset();
        ASSERT_TRUE(Journal::open(path().string(), &j).ok());
        EXPECT_TRUE(j->repairs().empty()) << "the header was rewritten";
        continue;
      }
      size_t k = 0;
      while (at[k + 1] <= byte) ++k;  // the damaged record
      const JournalRepair& r = j->repairs()[0];
      EXPECT_EQ(r.offset, at[k]);
      EXPECT_NE(r.message.find("offset " + std::to_string(at[k])), std::string::npos) << r.message;
      if (k < replayed) {
        // Damage in a record the primary already holds costs nothing.
        EXPECT_EQ(r.dropped_bytes, 0u);
        EXPECT_EQ(records(*j), std::vector<std::string>(payloads_.begin() + replayed, payloads_.end()));
        EXPECT_EQ(j->pending(), n - replayed);
        EXPECT_TRUE(damaged_files().empty());
      } else {
        bool in_last_payload = k == n - 1 && byte >= at[k] + 12;
        EXPECT_EQ(r.damaged, !in_last_payload) << r.message;
        EXPECT_EQ(r.dropped_bytes, bytes.size() - at[k]);
        EXPECT_EQ(r.intact_records_dropped, n - 1 - k) << r.message;
        EXPECT_EQ(records(*j), std::vector<std::string>(payloads_.begin(), payloads_.begin() + k));
        EXPECT_EQ(j->pending(), k - replayed);
        auto kept = damaged_files();
        ASSERT_EQ(kept.size(), 1u);
        EXPECT_EQ(slurp(kept[0]), flipped.substr(at[k])) << "the dropped bytes are kept as they were";
      }
      j.reset();
      remove_damaged_files();
    }
  }
}

TEST_F(JournalDamage, AnAppendThatFailsHalfwayIsNotAcknowledgedAndLeavesNoTrace) {
  std::vector<uint64_t> at;
  make(payloads_, 0, &at);
  std::unique_ptr<Journal> j;
  ASSERT_TRUE(Journal::open(path().string(), &j).ok());
  // The file may grow by half a frame: the kernel writes that much, then
  // refuses the rest with EFBIG (SIGXFSZ ignored).
  const std::string record(400, 'r');
  struct rlimit before {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &before), 0);
  auto* old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limited = before;
  limited.rlim_cur = j->end() + 200;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  sdk::Status s = j->append(record);
  ::setrlimit(RLIMIT_FSIZE, &before);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(s.code, GS_UNAVAILABLE) << s.message;
  EXPECT_NE(s.message.find("append"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find(path().string()), std::string::npos) << s.message;
  EXPECT_EQ(j->end(), at.back());
  EXPECT_EQ(fs::file_size(path()), at.back()) << "the half-written frame is cut back";
  EXPECT_EQ(j->pending(), payloads_.size());
  // The next append lands where the failed one would have.
  ASSERT_TRUE(j->append("next").ok());
  j.reset();
  ASSERT_TRUE(Journal::open(path().string(), &j).ok());
  EXPECT_TRUE(j->repairs().empty());
  std::vector<std::string> want = payloads_;
  want.push_back("next");
  EXPECT_EQ(records(*j), want);
}

TEST_F(JournalDamage, AJournalOfTheFirstFormatIsReadAndBecomesTheCurrentOneWhenEmptied) {
  // Format 1: a 16-byte header (magic, format 1, u64 replay offset), frames
  // of u32 length and u32 CRC-32 of the payload.
  auto frame = [](const std::string& payload) {
    uint32_t head[2] = {static_cast<uint32_t>(payload.size()),
                        static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(payload.data()),
                                                    static_cast<uInt>(payload.size())))};
    return std::string(reinterpret_cast<const char*>(head), 8) + payload;
  };
  uint64_t replayed = 16 + 8 + 5;  // after "alpha"
  std::string bytes("GSJRNL\0\1", 8);
  bytes.append(reinterpret_cast<const char*>(&replayed), 8);
  bytes += frame("alpha") + frame("beta") + frame("gamma");
  spit(path(), bytes + "\x05\x00");  // and a torn tail
  std::unique_ptr<Journal> j;
  sdk::Status s = Journal::open(path().string(), &j);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_EQ(records(*j), (std::vector<std::string>{"alpha", "beta", "gamma"}));
  EXPECT_EQ(j->replayed(), replayed);
  EXPECT_EQ(j->pending(), 2u);
  ASSERT_EQ(j->repairs().size(), 1u);
  ASSERT_TRUE(j->append("delta").ok());
  j.reset();
  ASSERT_TRUE(Journal::open(path().string(), &j).ok());
  EXPECT_EQ(records(*j), (std::vector<std::string>{"alpha", "beta", "gamma", "delta"}));
  ASSERT_TRUE(j->reset().ok());
  EXPECT_EQ(j->end(), Journal::kHeaderSize);
  ASSERT_TRUE(j->append("epsilon").ok());
  j.reset();
  ASSERT_TRUE(Journal::open(path().string(), &j).ok());
  EXPECT_TRUE(j->repairs().empty());
  EXPECT_EQ(records(*j), std::vector<std::string>{"epsilon"});
  EXPECT_EQ(slurp(path())[7], '\2');
}

TEST_F(JournalDamage, AFileThatIsNotAJournalIsRefusedAndLeftAlone) {
  spit(path(), "name,type\nalice,Person\n");
  std::unique_ptr<Journal> j;
  sdk::Status s = Journal::open(path().string(), &j);
  EXPECT_EQ(s.code, GS_CORRUPTION);
  EXPECT_NE(s.message.find("not a graphstore journal"), std::string::npos) << s.message;
  EXPECT_EQ(slurp(path()), "name,type\nalice,Person\n");
}

}  // namespace
}  // namespace graphstore::degradation
