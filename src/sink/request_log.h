// RequestLog: appends one JSON line per HTTP request received to a file, so tests can check what
// reached a server (headers, path, what was decoded) without scraping console output:
//   {"method":"POST","path":"/logs","target":"/logs?x=1","headers":{"content-type":"…",…},…}
// Header names are lower-cased (HTTP names are case-insensitive; tests look them up one way);
// repeated headers are joined with ", ". Callers add their own fields after these.
//
// Lifecycle: open() at start-up (throws std::system_error), append() while serving.
// Thread-safety: append() may be called from any thread; each line is written whole.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"
#include "sink/append_file.h"

namespace llmtap::sink {

class RequestLog {
 public:
  void open(const std::string& path) { file_.open(path); }
  bool is_open() const { return file_.is_open(); }

  // Writes the request's line. `more_fields` is appended inside the object as it is: empty, or
  // JSON members each preceded by a comma (`,"records":2`). False when the line could not be
  // written.
  bool append(const http::Request& request, std::string_view more_fields = {});

 private:
  AppendFile file_;
};

}  // namespace llmtap::sink
