// Loading plugins that are broken on purpose: each failure is its own clear
// Status naming the file and the cause, never a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "graphstore/registry.hpp"

namespace graphstore {
namespace {

const std::filesystem::path kDir = GRAPHSTORE_TEST_PLUGIN_DIR;

std::string plugin_path(const std::string& name) { return (kDir / ("libgraphstore_" + name + ".so")).string(); }

struct BrokenCase {
  std::string name;              // file libgraphstore_<name>.so
  std::vector<std::string> say;  // the message must contain each
  bool check_code;
  Code code;
};

// Every way to fail loading, with the words that explain it.
const std::vector<BrokenCase>& broken_cases() {
  static const std::vector<BrokenCase> cases = {
      {"missing", {"not found"}, true, Code::kNotFound},
      {"text", {"shared object"}, false, Code::kOk},
      {"no_entry", {"gs_plugin_entry"}, false, Code::kOk},
      {"abi_major2",
       {"plugin ABI 2.0", "host ABI " + std::to_string(GS_ABI_MAJOR) + "." + std::to_string(GS_ABI_MINOR)},
       true,
       Code::kAbiMismatch},
      {"small_descriptor", {"descriptor too small"}, true, Code::kAbiMismatch},
      {"init_fails", {"license server unreachable at 10.0.0.1:7000"}, false, Code::kOk},
      // Its message fills the buffer without a NUL: cut at the buffer's end.
      {"init_unterminated", {"initialisation failed (status", "): uuuuuuuu"}, true, Code::kInternal},
  };
  return cases;
}

void expect_explains(const Status& s, const BrokenCase& c) {
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.code(), Code::kOk);
  if (c.check_code) {
    EXPECT_EQ(s.code(), c.code) << s.to_string();
  }
  EXPECT_NE(s.message().find(plugin_path(c.name)), std::string::npos) << "does not name the file: " << s.to_string();
  for (const auto& words : c.say)
    EXPECT_NE(s.message().find(words), std::string::npos) << "does not say '" << words << "': " << s.to_string();
}

TEST(RegistryErrors, EachBrokenPluginFailsToOpenWithItsOwnExplanation) {
  Registry registry({kDir});
  std::set<std::string> messages;
  for (const auto& c : broken_cases()) {
    SCOPED_TRACE(c.name);
    std::unique_ptr<Store> store;
    Status s = registry.open(plugin_path(c.name), "{}", &store);
    expect_explains(s, c);
    EXPECT_EQ(store, nullptr);
    messages.insert(s.message());
  }
  EXPECT_EQ(messages.size(), broken_cases().size()) << "two failures share a message";
}

TEST(RegistryErrors, DescribeFailsTheSameWayWithoutOpening) {
  Registry registry({kDir});
  for (const auto& c : broken_cases()) {
    SCOPED_TRACE(c.name);
    PluginInfo info;
    expect_explains(registry.describe(plugin_path(c.name), &info), c);
  }
}

TEST(RegistryErrors, ByIdTheResolvedFileIsNamed) {
  Registry registry({kDir});
  for (const auto& c : broken_cases()) {
    if (c.name == "missing") continue;
    SCOPED_TRACE(c.name);
    std::unique_ptr<Store> store;
    expect_explains(registry.open(c.name, "{}", &store), c);
  }
}

TEST(RegistryErrors, RetryingABrokenPluginGivesTheSameAnswer) {
  Registry registry({kDir});
  for (const auto& c : broken_cases()) {
    SCOPED_TRACE(c.name);
    std::unique_ptr<Store> store;
    Status first = registry.open(plugin_path(c.name), "{}", &store);
    Status second = registry.open(plugin_path(c.name), "{}", &store);
    EXPECT_EQ(first.code(), second.code());
    EXPECT_EQ(first.message(), second.message());
  }
}

TEST(RegistryErrors, UnknownIdIsNotFoundListingTheSearchedDirectories) {
  Registry registry({kDir});
  std::unique_ptr<Store> store;
  Status s = registry.open("no_such_backend", "{}", &store);
  EXPECT_EQ(s.code(), Code::kNotFound) << s.to_string();
  EXPECT_NE(s.message().find("no_such_backend"), std::string::npos) << s.to_string();
  EXPECT_NE(s.message().find(kDir.string()), std::string::npos) << s.to_string();
}

TEST(RegistryErrors, OpenFailurePassesThePluginsStatusAndMessage) {
  Registry registry({kDir});
  PluginInfo info;
  ASSERT_TRUE(registry.describe(plugin_path("open_fails"), &info).ok()) << "the library itself is fine";
  EXPECT_EQ(info.id, "open_fails");
  std::unique_ptr<Store> store;
  Status s = registry.open(plugin_path("open_fails"), "{}", &store);
  EXPECT_EQ(s.code(), Code::kPermissionDenied) << s.to_string();
  EXPECT_NE(s.message().find("credentials rejected for user 'bob'"), std::string::npos) << s.to_string();
  EXPECT_EQ(store, nullptr);
}

TEST(RegistryErrors, ListReportsBrokenFilesAndKeepsTheGoodOnes) {
  Registry registry({kDir});
  std::vector<PluginInfo> plugins;
  std::vector<Status> errors;
  ASSERT_TRUE(registry.list(&plugins, &errors).ok());
  std::vector<std::string> ids;
  for (const auto& p : plugins)
    if (p.path.rfind(kDir.string(), 0) == 0) ids.push_back(p.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"newer_minor", "old_abi", "open_fails", "throwing"}));
  for (const auto& c : broken_cases()) {
    if (c.name == "missing") continue;
    bool reported = false;
    for (const auto& e : errors) reported = reported || e.message().find(plugin_path(c.name)) != std::string::npos;
    EXPECT_TRUE(reported) << c.name << " is not among the list errors";
  }
}

TEST(RegistryErrors, InvalidIdIsRejectedBeforeAnySearch) {
  Registry registry({kDir});
  std::unique_ptr<Store> store;
  Status s = registry.open("Bad Id!", "{}", &store);
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.to_string();
}

}  // namespace
}  // namespace graphstore
