#include "config/env_resolver.h"

#include <gtest/gtest.h>

#include "test_env.h"

namespace llmtap::config {
namespace {

using testing::env_of;

// Verifies that a value that is exactly os.environ/NAME becomes the variable's value.
TEST(EnvResolverTest, ReplacesExactOsEnvironValue) {
  EnvResolver r(env_of({{"KEY", "sk-1"}}), {});
  auto e = r.expand("os.environ/KEY");
  EXPECT_EQ(e.value, "sk-1");
  EXPECT_TRUE(e.missing.empty());
}

// Verifies that os.environ/ only counts as the whole value, never inside other text.
TEST(EnvResolverTest, OsEnvironInsideTextIsLiteral) {
  EnvResolver r(env_of({{"KEY", "sk-1"}}), {});
  EXPECT_EQ(r.expand("x os.environ/KEY").value, "x os.environ/KEY");
}

// Verifies that ${NAME} is expanded inside a string, several times.
TEST(EnvResolverTest, ExpandsBracedVariablesAnywhere) {
  EnvResolver r(env_of({{"A", "1"}, {"B", "two"}}), {});
  EXPECT_EQ(r.expand("Bearer ${A}-${B}/${A}").value, "Bearer 1-two/1");
}

// Verifies that unset variables are reported by name and never become empty strings.
TEST(EnvResolverTest, ReportsEveryMissingVariable) {
  EnvResolver r(env_of({{"A", "1"}}), {});
  auto e = r.expand("${A} ${NOPE} ${ALSO_NOPE}");
  EXPECT_EQ(e.missing, (std::vector<std::string>{"NOPE", "ALSO_NOPE"}));
  EXPECT_EQ(r.expand("os.environ/NOPE").missing, std::vector<std::string>{"NOPE"});
}

// Verifies that an empty variable is missing, so a secret never silently becomes "".
TEST(EnvResolverTest, EmptyVariableCountsAsUnset) {
  EnvResolver r(env_of({{"EMPTY", ""}}), {});
  EXPECT_EQ(r.expand("Bearer ${EMPTY}").missing, std::vector<std::string>{"EMPTY"});
}

// Verifies that ${NAME:-default} falls back only when NAME is unset.
TEST(EnvResolverTest, DefaultAppliesOnlyWhenUnset) {
  EnvResolver r(env_of({{"SET", "v"}}), {});
  EXPECT_EQ(r.expand("${SET:-d}|${UNSET:-d}").value, "v|d");
  EXPECT_TRUE(r.expand("${UNSET:-d}").missing.empty());
}

// Verifies that the config's environment_variables take precedence, last definition winning.
TEST(EnvResolverTest, OverlayWinsOverProcessEnvironment) {
  EnvResolver r(env_of({{"A", "process"}}), {{"A", "first"}, {"A", "overlay"}});
  EXPECT_EQ(r.expand("${A}").value, "overlay");
}

// Verifies that {{environment_variables.NAME}} is a preset feature, literal elsewhere.
TEST(EnvResolverTest, PlaceholdersOnlyWhenEnabled) {
  EnvResolver r(env_of({{"URL", "https://x"}}), {});
  EXPECT_EQ(r.expand("{{environment_variables.URL}}/a", true).value, "https://x/a");
  EXPECT_EQ(r.expand("{{ environment_variables.URL }}", true).value, "https://x");
  EXPECT_EQ(r.expand("{{environment_variables.URL}}", false).value,
            "{{environment_variables.URL}}");
  EXPECT_EQ(r.expand("{{environment_variables.NOPE}}", true).missing,
            std::vector<std::string>{"NOPE"});
}

// Verifies that a '$' or '${' that is not a reference is kept as written.
TEST(EnvResolverTest, MalformedReferencesStayLiteral) {
  EnvResolver r(env_of({}), {});
  EXPECT_EQ(r.expand("cost $5 ${ unclosed ${1BAD}").value, "cost $5 ${ unclosed ${1BAD}");
  EXPECT_TRUE(r.expand("cost $5 ${ unclosed ${1BAD}").missing.empty());
}

}  // namespace
}  // namespace llmtap::config
