#include "delivery/errc.h"

namespace llmtap::delivery {

std::string_view errc_message(errc e) {
  switch (e) {
    case errc::buffer_folder_unusable:
      return "the disk buffer folder cannot be created or written";
    case errc::buffer_locked:
      return "the disk buffer is in use by another llmtap process (lock held)";
    case errc::segment_unreadable:
      return "a disk buffer segment cannot be opened or read";
    case errc::dead_letter_unwritable:
      return "the dead-letter file could not be written";
    case errc::dead_letter_unreadable:
      return "the dead-letter file cannot be read";
    case errc::dead_letter_bad_header:
      return "the first line is not a dead-letter header";
  }
  return "unknown delivery error";
}

}  // namespace llmtap::delivery
