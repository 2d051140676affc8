// The 30 real LiteLLM configs (tests/data/litellm-configs, see SOURCES.md) must load without a
// crash or exception: a Config, or only well-formed diagnostics.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/loader.h"
#include "test_env.h"

namespace llmtap::config {
namespace {

std::vector<std::string> corpus_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(LLMTAP_TEST_DATA_DIR) +
                                                               "/litellm-configs")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void expect_well_formed(const std::vector<Diagnostic>& diagnostics, const std::string& file) {
  for (const Diagnostic& d : diagnostics) {
    EXPECT_EQ(d.file, file);
    EXPECT_FALSE(d.message.empty());
    EXPECT_GE(d.line, 0);
    EXPECT_EQ(d.message.find("internal error"), std::string::npos) << d.to_string();
  }
}

// Verifies that the corpus copy is complete, so the load test below covers every file.
TEST(CorpusTest, HasAllThirtyConfigs) { EXPECT_EQ(corpus_files().size(), 30u); }

// Verifies that each real config yields a Config or only well-formed diagnostics, never throws.
TEST(CorpusTest, EveryConfigLoadsWithAnEmptyEnvironment) {
  for (const std::string& file : corpus_files()) {
    SCOPED_TRACE(file);
    LoadResult result;
    EXPECT_NO_THROW(result = load_config(file, testing::env_of({})));
    EXPECT_EQ(result.config.has_value(), result.errors.empty());
    expect_well_formed(result.errors, file);
    expect_well_formed(result.warnings, file);
  }
}

// Verifies that configs whose only problems are LiteLLM features llmtap skips still load:
// unsupported callbacks, providers and keys are warnings, not errors.
TEST(CorpusTest, ConfigsWithoutEnvironmentNeedsLoad) {
  for (const char* name :
       {"BerriAI__litellm__litellm_proxy_example_config_yaml_prometheus_test_config.yaml",
        "46ki75__open-webui-bedrock-local__litellm-config.yaml",
        "GabrielFranciscoSM__scalable_ollama_farm__litellm_config.yaml",
        "Jaisev-Sachdev__ai-platform-proposal__litellm_config.yaml"}) {
    const std::string file = std::string(LLMTAP_TEST_DATA_DIR) + "/litellm-configs/" + name;
    LoadResult result = load_config(file, testing::env_of({}));
    EXPECT_TRUE(result.config) << name << ": "
                               << ::testing::PrintToString(testing::strings(result.errors));
  }
}

// Verifies that the corpus's env-configured generic_api callback resolves once the variable is set.
TEST(CorpusTest, GenericApiConfigUsesTheEnvironment) {
  const std::string file = std::string(LLMTAP_TEST_DATA_DIR) +
                           "/litellm-configs/lavasecurity__lavasec-base__config_litellm.yaml";
  LoadResult result =
      load_config(file, testing::env_of({{"GENERIC_LOGGER_ENDPOINT", "http://127.0.0.1:9/logs"},
                                         {"LITELLM_MASTER_KEY", "sk-m"}}));
  ASSERT_TRUE(result.config) << ::testing::PrintToString(testing::strings(result.errors));
  ASSERT_EQ(result.config->callbacks.size(), 1u);
  EXPECT_EQ(result.config->callbacks[0].name, "generic_api");
  EXPECT_EQ(result.config->callbacks[0].endpoint, "http://127.0.0.1:9/logs");
}

// An environment in which every variable `file` names (`os.environ/NAME`, `${NAME}`) is set: to a
// URL for names that look like one (api_base values must be URLs), to a placeholder otherwise.
EnvLookup every_variable_set(const std::string& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string yaml = text.str();
  auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::set<std::string, std::less<>> names;
  for (std::string_view marker : {"os.environ/", "${"}) {
    for (auto at = yaml.find(marker); at != std::string::npos; at = yaml.find(marker, at + 1)) {
      std::size_t end = at + marker.size();
      while (end < yaml.size() && is_name(yaml[end])) ++end;
      names.insert(yaml.substr(at + marker.size(), end - at - marker.size()));
    }
  }
  // The generic_api callback reads its endpoint from this variable when the config sets none.
  if (yaml.find("generic_api") != std::string::npos) names.insert("GENERIC_LOGGER_ENDPOINT");
  // LiteLLM reads the account of a cloudflare/ deployment from this variable only; a config
  // that deploys one does not run without it.
  if (yaml.find("cloudflare/") != std::string::npos) names.insert("CLOUDFLARE_ACCOUNT_ID");
  // A bedrock/ deployment without aws_* keys signs with the AWS_* variables' credentials (LiteLLM
  // would also try boto3's profiles and instance roles, which llmtap does not read).
  if (yaml.find("bedrock/") != std::string::npos) {
    names.insert("AWS_ACCESS_KEY_ID");
    names.insert("AWS_SECRET_ACCESS_KEY");
  }
  return [names = std::move(names)](std::string_view name) -> std::optional<std::string> {
    if (names.find(name) == names.end()) return std::nullopt;
    for (std::string_view url_like : {"BASE", "URL", "ENDPOINT", "HOST"}) {
      if (name.find(url_like) != std::string_view::npos) return std::string("http://127.0.0.1:9");
    }
    return std::string("placeholder");
  };
}

// Verifies how many of the corpus's 264 deployments llmtap serves with every variable set (README
// "model_list[]": the providers served) — the count a new provider raises. What is left:
// sagemaker (1). The vertex_ai deployment's key file (/app/service_account.json) is not on this
// machine: it is served, with a warning, and its calls fail saying so until the file is there.
TEST(CorpusTest, ServedDeploymentsWithEveryVariableSet) {
  std::size_t entries = 0, served = 0;
  for (const std::string& file : corpus_files()) {
    SCOPED_TRACE(file);
    LoadResult result = load_config(file, every_variable_set(file));
    if (!result.config) continue;
    served += result.config->deployments.size();
    entries += result.config->deployments.size();
    for (const Diagnostic& d : result.warnings) {
      if (d.message.find("left out of routing") != std::string::npos) ++entries;
    }
  }
  EXPECT_EQ(entries, 264u);
  EXPECT_EQ(served, 263u);
}

}  // namespace
}  // namespace llmtap::config
