// The one result type for expected failures outside the config loader (which collects many
// diagnostics at once): boost::system::result<T> carrying an error_code. Each module declares its
// own `enum class errc` and registers it with LLMTAP_ERROR_CATEGORY, as Beast does for
// http::error, so callers branch on codes (`if (r.error() == delivery::errc::segment_unreadable)`)
// and pass one type along; the message is for logs.
//
// Usage, in a module header:
//   enum class errc { segment_unreadable = 1, ... };
//   std::string_view errc_message(errc e);          // defined in the module's .cc
//   LLMTAP_ERROR_CATEGORY(llmtap::delivery, errc, "llmtap.delivery")
//   Result<Thing> open(...);                        // return errc::x, or a std error_code
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <type_traits>

namespace llmtap {

using ErrorCode = boost::system::error_code;
// E other than ErrorCode only where a caller needs more than a code to answer with (a request's
// parse error names the offending parameter; a price map's names the JSON error).
template <class T, class E = ErrorCode>
using Result = boost::system::result<T, E>;

// An errno value as an error code (a failed open(2), write(2), …).
inline ErrorCode errno_code(int err) { return ErrorCode(err, boost::system::generic_category()); }

namespace base {

// The error category of one module's `errc`: name() from the registration, message() from the
// module's errc_message(). One instance per enum (a function-local static).
template <class Errc>
class EnumErrorCategory final : public boost::system::error_category {
 public:
  explicit EnumErrorCategory(const char* name) noexcept : name_(name) {}
  const char* name() const noexcept override { return name_; }
  std::string message(int ev) const override {
    return std::string(errc_message(static_cast<Errc>(ev)));
  }

 private:
  const char* name_;
};

}  // namespace base
}  // namespace llmtap

// Declares make_error_code() for NS::ENUM (found by argument-dependent lookup) and tells
// boost::system that the enum converts to an error_code. Use at global scope.
#define LLMTAP_ERROR_CATEGORY(NS, ENUM, NAME)                            \
  namespace NS {                                                         \
  inline const ::boost::system::error_category& ENUM##_category() {      \
    static const ::llmtap::base::EnumErrorCategory<ENUM> category(NAME); \
    return category;                                                     \
  }                                                                      \
  inline ::boost::system::error_code make_error_code(ENUM e) {           \
    return {static_cast<int>(e), ENUM##_category()};                     \
  }                                                                      \
  }                                                                      \
  template <>                                                            \
  struct boost::system::is_error_code_enum<NS::ENUM> : std::true_type {}
