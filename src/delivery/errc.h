// delivery::errc: the expected failures of the delivery module's disk work (the disk buffer, the
// dead-letter store), as error codes for llmtap::Result (see base/result.h). The code says what
// failed; the file and the errno detail are logged where the failure happens.
#pragma once

#include <string_view>

#include "base/result.h"

namespace llmtap::delivery {

enum class errc {
  buffer_folder_unusable = 1,  // the disk buffer's folder cannot be created, listed or written
  buffer_locked,               // another llmtap process holds the disk buffer's lock
  segment_unreadable,          // a segment (or its .ack file) exists but cannot be opened or read
  dead_letter_unwritable,      // a dead-letter file could not be written (folder, space, I/O)
  dead_letter_unreadable,      // a dead-letter file cannot be opened or is empty
  dead_letter_bad_header,      // a dead-letter file's first line is not its header
};

std::string_view errc_message(errc e);

}  // namespace llmtap::delivery

LLMTAP_ERROR_CATEGORY(llmtap::delivery, errc, "llmtap.delivery");
