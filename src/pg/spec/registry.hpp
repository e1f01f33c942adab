// Specs as the SQL face uses them: named specs from the registry (persistence.specs),
// inline schemas, both compiled once per backend and cached by fingerprint; and the
// callbacks the core needs ([:ref name] resolution, [:fn "schema.function"] calls).
// Callers are C++ code inside guard(); PostgreSQL is reached through call_pg and SPI.
#pragma once

#include <string_view>

#include "persistence/edn/value.hpp"
#include "persistence/spec/spec.hpp"

namespace persistence::pg {

// `name` (the newest version) or `name@version`. 42704 for an unknown spec, 22023 for a
// malformed name. Opens its own SPI connection when it must read the registry.
spec::SpecPtr spec_by_name(std::string_view name);

// An inline schema: 22P02 (with the path of the bad part) when it does not compile.
spec::SpecPtr spec_inline(edn::ValueRef schema);

// Options with the resolver and the predicate set; json: the value came from jsonb.
spec::Options spec_options(bool json);

// The registry changed (spec_define): every backend forgets its name → spec entries at
// commit (a relcache invalidation, as for attribute definitions).
void spec_registry_changed();

}  // namespace persistence::pg
