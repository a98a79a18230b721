#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "terminal_text.hpp"

namespace graphstore::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kTtyEvery = std::chrono::milliseconds(100);
constexpr auto kPlainEvery = std::chrono::seconds(5);

std::string duration_text(double s) {
  if (!(s >= 0) || s > 1e7) return "?";
  long t = static_cast<long>(s + 0.5);
  char buf[32];
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  }
  return buf;
}

std::string count_text(double n) {
  char buf[32];
  if (n >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2fM", n / 1e6);
  } else if (n >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.1fk", n / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", n);
  }
  return buf;
}

}  // namespace

ProgressLine::ProgressLine(std::string what, bool enabled)
    : what_(std::move(what)), enabled_(enabled), tty_(isatty(2) != 0), start_(Clock::now()), last_(start_) {}

bool ProgressLine::update(const Progress& p) {
  if (!enabled_) return true;
  last_p_ = p;
  last_phase_ = std::string(p.phase);
  last_p_.phase = last_phase_;
  auto now = Clock::now();
  if (now - last_ < (tty_ ? Clock::duration(kTtyEvery) : Clock::duration(kPlainEvery))) return true;
  last_ = now;
  draw(p, false);
  return true;
}

void ProgressLine::finish() {
  if (!enabled_) return;
  if (tty_ && drawn_) {
    draw(last_p_, true);
    std::cerr << '\n';
  }
}

void ProgressLine::draw(const Progress& p, bool final_line) {
  double secs = std::chrono::duration<double>(Clock::now() - start_).count();
  double rate = secs > 0 ? double(p.records) / secs : 0;
  // The fraction done: by bytes when reading a file, else by records.
  double frac = -1;
  if (p.bytes_total > 0) {
    frac = double(p.bytes) / double(p.bytes_total);
  } else if (p.total > 0) {
    frac = double(p.records) / double(p.total);
  }
  if (frac > 1) frac = 1;
  std::string line = what_;
  if (!p.phase.empty() && p.phase != what_) line += " (" + terminal_text(p.phase) + ")";
  line += ": ";
  if (tty_ && frac >= 0) {
    constexpr int kWidth = 24;
    int fill = static_cast<int>(frac * kWidth);
    line += "[" + std::string(size_t(fill), '#') + std::string(size_t(kWidth - fill), '.') + "] ";
  }
  char pct[16] = "";
  if (frac >= 0) std::snprintf(pct, sizeof pct, "%3.0f%%  ", frac * 100);
  line += pct + count_text(double(p.records)) + " records  " + count_text(rate) + "/s";
  if (frac > 0 && frac < 1 && !final_line) line += "  ETA " + duration_text(secs * (1 - frac) / frac);
  if (final_line) line += "  " + duration_text(secs);
  if (tty_) {
    std::cerr << "\r\033[K" << line << std::flush;
  } else {
    std::cerr << line << '\n';
  }
  drawn_ = true;
}

}  // namespace graphstore::cli
