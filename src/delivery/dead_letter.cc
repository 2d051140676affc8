#include "delivery/dead_letter.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/json_escape.h"

namespace llmtap::delivery {
namespace {

namespace fs = std::filesystem;

// Keys come from our own hex / digit alphabet, but a file name must never escape the folder.
std::string safe_file_part(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_';
    out.push_back(ok ? c : '_');
  }
  return out.substr(0, 96);
}

std::error_code last_errno() { return {errno, std::generic_category()}; }

}  // namespace

Result<void> LoggingDeadLetterSink::store(const std::string& callback, const Batch& batch,
                                          const RejectInfo& info) {
  spdlog::error("callback {}: gave up on batch {} ({} records, {} bytes): {}; response body: '{}'",
                callback, batch.idempotency_key, batch.records.size(), batch.record_bytes,
                info.reason, info.body_excerpt);
  return {};
}

FileDeadLetterSink::FileDeadLetterSink(std::string dir, std::shared_ptr<disk::FileOps> file_ops)
    : dir_(std::move(dir)), ops_(file_ops ? std::move(file_ops) : disk::system_file_ops()) {}

std::error_code FileDeadLetterSink::write_file(const std::string& path, const std::string& text) {
  const std::string tmp =
      path.substr(0, path.rfind('/') + 1) + "." + path.substr(path.rfind('/') + 1) + ".tmp";
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return ec;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return last_errno();
  if (disk::write_fully(*ops_, fd, text.data(), text.size()) != text.size() ||
      ::fdatasync(fd) != 0) {
    ec = last_errno();
  }
  ::close(fd);
  if (!ec && ::rename(tmp.c_str(), path.c_str()) != 0) ec = last_errno();
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
  }
  return ec;
}

Result<void> FileDeadLetterSink::store(const std::string& callback, const Batch& batch,
                                       const RejectInfo& info) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  std::string text = "{\"callback\":";
  json::append_quoted(text, callback);
  text += ",\"idempotency_key\":";
  json::append_quoted(text, batch.idempotency_key);
  text += fmt::format(",\"status\":{},\"reason\":", info.status);
  json::append_quoted(text, info.reason);
  text += ",\"body_excerpt\":";
  json::append_quoted(text, info.body_excerpt);
  text +=
      fmt::format(",\"budget_exhausted\":{},\"time\":{:.3f},\"records\":{}}}\n",
                  info.budget_exhausted, static_cast<double>(ms) / 1000.0, batch.records.size());
  for (const auto& record : batch.records) {
    text.append(record.bytes());
    text.push_back('\n');
  }
  const std::string name = fmt::format("dl-{:013d}-{:06d}-{}.ndjson", ms,
                                       sequence_.fetch_add(1, std::memory_order_relaxed) % 1000000,
                                       safe_file_part(batch.idempotency_key));
  const std::string path = dir_ + "/" + name;
  if (const std::error_code ec = write_file(path, text)) {
    write_errors_.fetch_add(1, std::memory_order_relaxed);
    spdlog::error(
        "callback {}: gave up on batch {} ({} records): {}; response body: '{}'; and could not "
        "keep it in "
        "{}: {}",
        callback, batch.idempotency_key, batch.records.size(), info.reason, info.body_excerpt, dir_,
        ec.message());
    return errc::dead_letter_unwritable;
  }
  stored_.fetch_add(batch.records.size(), std::memory_order_relaxed);
  spdlog::error(
      "callback {}: gave up on batch {} ({} records, {} bytes): {}; response body: '{}'; kept in "
      "{}",
      callback, batch.idempotency_key, batch.records.size(), batch.record_bytes, info.reason,
      info.body_excerpt, path);
  return {};
}

std::vector<std::string> list_dead_letter_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("dl-", 0) == 0 && name.size() > 7 && name.substr(name.size() - 7) == ".ndjson") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<DeadLetterFile> read_dead_letter_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string header;
  if (!in || !std::getline(in, header)) return errc::dead_letter_unreadable;
  simdjson::dom::parser parser;
  auto doc = parser.parse(header);
  if (doc.error() || !doc.value().is_object()) return errc::dead_letter_bad_header;
  DeadLetterFile file;
  file.path = path;
  std::string_view text;
  if (!doc["callback"].get(text)) file.callback = text;
  if (!doc["idempotency_key"].get(text)) file.idempotency_key = text;
  if (!doc["reason"].get(text)) file.reason = text;
  std::int64_t status = 0;
  if (!doc["status"].get(status)) file.status = static_cast<int>(status);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) file.records.push_back(std::move(line));
  }
  return file;
}

}  // namespace llmtap::delivery
