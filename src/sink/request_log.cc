#include "sink/request_log.h"

#include <map>

#include "base/ascii.h"
#include "sink/json_text.h"

namespace llmtap::sink {

bool RequestLog::append(const http::Request& request, std::string_view more_fields) {
  std::map<std::string, std::string> headers;
  for (const http::Header& header : request.headers) {
    std::string& value = headers[ascii::lower(header.name)];
    if (!value.empty()) value += ", ";
    value += header.value;
  }
  std::string line;
  line.reserve(256 + request.target.size() + more_fields.size());
  line += R"({"method":)";
  append_json_string(line, request.method);
  line += R"(,"path":)";
  append_json_string(line, request.path());
  line += R"(,"target":)";
  append_json_string(line, request.target);
  line += R"(,"headers":{)";
  bool first = true;
  for (const auto& [name, value] : headers) {
    if (!first) line.push_back(',');
    first = false;
    append_json_string(line, name);
    line.push_back(':');
    append_json_string(line, value);
  }
  line.push_back('}');
  line += more_fields;
  line += "}\n";
  return file_.append(line);
}

}  // namespace llmtap::sink
