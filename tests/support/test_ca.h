// TestCa: a throwaway certificate authority for TLS tests — a CA, a server certificate and a
// client certificate (extendedKeyUsage=clientAuth) both signed by it, made at construction by the
// openssl command in a fresh temporary directory (EC P-256 keys, valid 2 days) and removed with it.
//
// ok() is false when the openssl command is missing or failed; tests assert on it in SetUp.
// Lifecycle: one per test fixture. Thread-safety: immutable after construction.
#pragma once

#include <string>
#include <string_view>

#include "support/temp_dir.h"

namespace llmtap::test {

class TestCa {
 public:
  // `server_alt_names` is the server certificate's subjectAltName, e.g. "DNS:localhost" to check
  // that a client refuses 127.0.0.1 by name.
  explicit TestCa(std::string_view server_alt_names = "DNS:localhost,IP:127.0.0.1");

  bool ok() const { return ok_; }
  std::string ca_file() const { return dir_.file("ca.pem"); }
  std::string server_cert() const { return dir_.file("server.pem"); }
  std::string server_key() const { return dir_.file("server.key"); }
  std::string client_cert() const { return dir_.file("client.pem"); }
  std::string client_key() const { return dir_.file("client.key"); }

 private:
  TempDir dir_;
  bool ok_ = false;
};

}  // namespace llmtap::test
