// Checking a value against its attribute's type, with the JSON-mode conversions
// (planner.hpp). Private to src/core/fact.
#pragma once

#include <string>

#include "persistence/core/error.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/fact/model.hpp"

namespace persistence::fact::detail {

struct ValueContext {
    const std::string& path;  // "tx_data[2]"
    const std::string& e;
    const Attribute& attr;
    const char* role;  // "value", "old value", "new value"
};

// `value` holds one encoded EDN value; it is replaced by the converted encoding when a
// conversion applies (JSON strings to keywords, instants and uuids; JSON numbers to
// doubles or decimals; #uuid to the id string of a ref). For a ref attribute `ref`
// receives the entity id. nil is refused: it is not a value (retract instead).
core::Status coerce_value(std::string& value, std::string& ref, const ValueContext& ctx, bool json,
                          const edn::Limits& limits);

}  // namespace persistence::fact::detail
