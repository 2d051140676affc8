#include "support/test_ca.h"

#include <cstdlib>

namespace llmtap::test {
namespace {

constexpr std::string_view kNewKey = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";

// Shell steps that make <name>.key and <name>.pem, signed by ca.pem, with one x509v3 extension
// line.
std::string leaf(const std::string& name, std::string_view extension) {
  return " && openssl req" + std::string(kNewKey) + "-keyout " + name + ".key -out " + name +
         ".csr -subj '/CN=" + name + "'" + " && printf '%s\\n' '" + std::string(extension) +
         "' > " + name + ".cnf" + " && openssl x509 -req -in " + name +
         ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -out " + name + ".pem -days 2 -extfile " +
         name + ".cnf";
}

}  // namespace

TestCa::TestCa(std::string_view server_alt_names) {
  const std::string script = "cd '" + dir_.path() + "' && openssl req -x509" +
                             std::string(kNewKey) +
                             "-keyout ca.key -out ca.pem -days 2 -subj '/CN=llmtap test CA'" +
                             leaf("server", "subjectAltName=" + std::string(server_alt_names)) +
                             leaf("client", "extendedKeyUsage=clientAuth");
  ok_ = std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace llmtap::test
