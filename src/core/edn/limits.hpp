// Errors shared by the Encoder, the reader and validate(), so a limit reads the same
// whichever path hit it. Private to src/core/edn.
#pragma once

#include <string>

#include "persistence/core/error.hpp"
#include "persistence/edn/format.hpp"

namespace persistence::edn::detail {

inline core::Error depth_error(const Limits& limits) {
    return core::Error(core::sqlstate::program_limit_exceeded, "EDN value nested too deeply",
                       "The limit is persistence.edn_max_depth (" + std::to_string(limits.max_depth) +
                           "); flatten the value or raise the limit.");
}

inline core::Error size_error(const Limits& limits) {
    return core::Error(core::sqlstate::program_limit_exceeded, "EDN value is too large",
                       "The limit is persistence.edn_max_size (" + std::to_string(limits.max_size) +
                           " bytes); store a smaller value or raise the limit.");
}

inline core::Error internal_error(const std::string& what) {
    return core::Error(core::sqlstate::internal_error, "EDN encoder misuse: " + what);
}

// The largest encoded value: lengths and offsets are u32.
inline constexpr size_t max_encoded_size = 0xFFFFFFF0u;

// The limits actually enforced: the format and the stack cap what callers may ask for.
inline Limits effective(Limits limits) {
    if (limits.max_depth > max_depth_ceiling) limits.max_depth = max_depth_ceiling;
    if (limits.max_size > max_encoded_size) limits.max_size = max_encoded_size;
    return limits;
}

}  // namespace persistence::edn::detail
