// The persistence.* settings (docs/operations.md) and the core limits derived from them.
#pragma once

#include "persistence/edn/format.hpp"

namespace persistence::pg {

void define_gucs();
// EDN limits from persistence.edn_max_depth and persistence.edn_max_size.
edn::Limits edn_limits();
// persistence.strict_schema: transact refuses undefined attributes (42704).
bool strict_schema();

}  // namespace persistence::pg
