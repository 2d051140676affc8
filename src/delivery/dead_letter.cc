#include "delivery/dead_letter.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include "base/json_escape.h"

namespace llmtap::delivery {
namespace {

namespace fs = std::filesystem;

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  json::append_escaped(out, text);  // also repairs invalid UTF-8, which the reader would reject
  out.push_back('"');
}

// Keys come from our own hex / digit alphabet, but a file name must never escape the folder.
std::string safe_file_part(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    out.push_back(ok ? c : '_');
  }
  return out.substr(0, 96);
}

bool write_whole(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void LoggingDeadLetterSink::store(const std::string& callback, const Batch& batch, const RejectInfo& info) {
  spdlog::error("callback {}: gave up on batch {} ({} records, {} bytes): {}; response body: '{}'", callback,
                batch.idempotency_key, batch.records.size(), batch.record_bytes, info.reason, info.body_excerpt);
}

void FileDeadLetterSink::store(const std::string& callback, const Batch& batch, const RejectInfo& info) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  std::string text = "{\"callback\":";
  append_json_string(text, callback);
  text += ",\"idempotency_key\":";
  append_json_string(text, batch.idempotency_key);
  text += fmt::format(",\"status\":{},\"reason\":", info.status);
  append_json_string(text, info.reason);
  text += ",\"body_excerpt\":";
  append_json_string(text, info.body_excerpt);
  text += fmt::format(",\"budget_exhausted\":{},\"time\":{:.3f},\"records\":{}}}\n", info.budget_exhausted,
                      static_cast<double>(ms) / 1000.0, batch.records.size());
  for (const auto& record : batch.records) {
    text.append(record.bytes());
    text.push_back('\n');
  }
  const std::string name = fmt::format("dl-{:013d}-{:06d}-{}.ndjson", ms,
                                       sequence_.fetch_add(1, std::memory_order_relaxed) % 1000000,
                                       safe_file_part(batch.idempotency_key));
  const std::string path = dir_ + "/" + name;
  const std::string tmp = dir_ + "/." + name + ".tmp";
  std::error_code ec;
  fs::create_directories(dir_, ec);
  bool ok = !ec;
  if (ok) {
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ok = fd >= 0;
    if (ok) {
      ok = write_whole(fd, text) && ::fdatasync(fd) == 0;
      ::close(fd);
    }
    ok = ok && ::rename(tmp.c_str(), path.c_str()) == 0;
  }
  if (!ok) {
    write_errors_.fetch_add(1, std::memory_order_relaxed);
    spdlog::error("callback {}: gave up on batch {} ({} records): {}; response body: '{}'; and could not keep it in "
                  "{}: {}",
                  callback, batch.idempotency_key, batch.records.size(), info.reason, info.body_excerpt, dir_,
                  ec ? ec.message() : std::string(std::strerror(errno)));
    fs::remove(tmp, ec);
    return;
  }
  stored_.fetch_add(batch.records.size(), std::memory_order_relaxed);
  spdlog::error("callback {}: gave up on batch {} ({} records, {} bytes): {}; response body: '{}'; kept in {}",
                callback, batch.idempotency_key, batch.records.size(), batch.record_bytes, info.reason,
                info.body_excerpt, path);
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

std::optional<DeadLetterFile> read_dead_letter_file(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = path + ": cannot read";
    return std::nullopt;
  }
  std::string header;
  if (!std::getline(in, header)) {
    if (error) *error = path + ": empty";
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  auto doc = parser.parse(header);
  if (doc.error() || !doc.value().is_object()) {
    if (error) *error = path + ": first line is not a dead-letter header";
    return std::nullopt;
  }
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
