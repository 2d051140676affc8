// LLMTAP_ASSERT(cond): an invariant check that is live when LLMTAP_ASSERTIONS is defined (the
// sanitizer and fuzz builds turn it on; see the LLMTAP_ASSERTIONS CMake option) and compiled but
// never evaluated otherwise, so a release build pays nothing and the condition cannot rot.
// Independent of NDEBUG: the sanitizer builds keep -DNDEBUG for speed, and these checks stay on.
// On failure it prints "file:line: LLMTAP_ASSERT(cond) failed" to stderr and aborts, which a
// sanitizer runtime turns into a report with a stack.
//
// For a bug in our own books only; an expected failure (bad input, a failed write) returns a
// Result instead. Thread-safety: none needed (the macro only reads what `cond` reads).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace llmtap::base {

#ifdef LLMTAP_ASSERTIONS
inline constexpr bool kAssertionsEnabled = true;
#else
inline constexpr bool kAssertionsEnabled = false;
#endif

[[noreturn]] inline void assertion_failed(const char* file, int line,
                                          const char* condition) noexcept {
  std::fprintf(stderr, "%s:%d: LLMTAP_ASSERT(%s) failed\n", file, line, condition);
  std::fflush(stderr);
  std::abort();
}

}  // namespace llmtap::base

#ifdef LLMTAP_ASSERTIONS
#define LLMTAP_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : ::llmtap::base::assertion_failed(__FILE__, __LINE__, #cond))
#else
// sizeof keeps `cond` type-checked (and its variables used) without evaluating it.
#define LLMTAP_ASSERT(cond) static_cast<void>(sizeof(!(cond)))
#endif
