#include <gtest/gtest.h>

#include <string>

#include "providers/vertex/service_account.h"

namespace llmtap::providers::vertex {
namespace {

constexpr std::string_view kKeyFile = R"({
  "type": "service_account",
  "project_id": "my-project",
  "private_key_id": "abc123",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
  "client_email": "sa@my-project.iam.gserviceaccount.com",
  "client_id": "1234",
  "token_uri": "https://oauth2.example.test/token"
})";

// Verifies that a key file's fields are read as they are, the PEM's newlines unescaped.
TEST(VertexServiceAccountTest, ReadsTheKeyFilesFields) {
  const auto account = read_service_account(kKeyFile);
  ASSERT_TRUE(account) << account.error().message();
  EXPECT_EQ(account->client_email, "sa@my-project.iam.gserviceaccount.com");
  EXPECT_EQ(account->private_key, "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
  EXPECT_EQ(account->private_key_id, "abc123");
  EXPECT_EQ(account->token_uri, "https://oauth2.example.test/token");
  EXPECT_EQ(account->project_id, "my-project");
}

// Verifies that the optional fields default: Google's token URI, no kid, no project.
TEST(VertexServiceAccountTest, DefaultsTheOptionalFields) {
  const auto account = read_service_account(
      R"({"type":"service_account","client_email":"a@b","private_key":"PEM","token_uri":""})");
  ASSERT_TRUE(account) << account.error().message();
  EXPECT_EQ(account->token_uri, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(account->private_key_id, "");
  EXPECT_EQ(account->project_id, "");
}

// Verifies that each missing or wrong field has its own code, and no message shows a value.
TEST(VertexServiceAccountTest, NamesWhatIsMissing) {
  EXPECT_EQ(read_service_account("not json").error(), auth_errc::credentials_not_json);
  EXPECT_EQ(read_service_account("[1]").error(), auth_errc::credentials_not_object);
  EXPECT_EQ(read_service_account(R"({"client_email":"a@b"})").error(), auth_errc::missing_type);
  EXPECT_EQ(
      read_service_account(R"({"type":"service_account","private_key":"secret-pem"})").error(),
      auth_errc::missing_client_email);
  const auto no_key = read_service_account(R"({"type":"service_account","client_email":"a@b"})");
  EXPECT_EQ(no_key.error(), auth_errc::missing_private_key);
  EXPECT_EQ(no_key.error().message(), "Google service account: missing \"private_key\"");
}

// Verifies that user and workload-identity credentials are refused as not supported.
TEST(VertexServiceAccountTest, RefusesOtherCredentialTypes) {
  for (const std::string type : {"authorized_user", "external_account", "impersonated"}) {
    const auto account = read_service_account(
        R"({"type":")" + type + R"(","client_id":"x","client_secret":"secret-value"})");
    ASSERT_FALSE(account) << type;
    EXPECT_EQ(account.error(), auth_errc::unsupported_credential_type);
    EXPECT_EQ(account.error().message().find("secret-value"), std::string::npos);
    EXPECT_NE(account.error().message().find("not supported"), std::string::npos);
  }
}

}  // namespace
}  // namespace llmtap::providers::vertex
