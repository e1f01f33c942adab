// The persistence.* settings (docs/operations.md) and the core limits derived from them.
#pragma once

#include "persistence/edn/format.hpp"

namespace persistence::pg {

void define_gucs();
// EDN limits from persistence.edn_max_depth and persistence.edn_max_size.
edn::Limits edn_limits();
// persistence.strict_schema: transact refuses undefined attributes (42704).
bool strict_schema();

// The audit chain's settings (docs/audit.md "Operations").
void define_audit_gucs();
const char* sealer_databases();   // persistence.sealer_databases
int sealer_naptime();             // ms
int checkpoint_entries();         // persistence.checkpoint_entries
int checkpoint_interval();        // ms
int seal_batch();                 // persistence.seal_batch
int seal_delay();                 // ms, persistence.seal_delay
const char* signing_key_directory();  // persistence.signing_key_directory ("" = default)

}  // namespace persistence::pg
