// The write path shared by transact(edn), transact(jsonb) and define_attribute.
#pragma once

#include "persistence/edn/value.hpp"
#include "persistence/fact/tx_data.hpp"

#include <optional>

#include "pg/fact/branches.hpp"
#include "pg/pg_headers.hpp"

extern "C" {
#include "datatype/timestamp.h"
}

namespace persistence::pg {

struct TransactArgs {
    edn::ValueRef tx_data;
    BranchView branch = main_view();  // written to branch.id, read through the view
    Datum provenance = 0;                 // an edn Datum, or 0 for NULL
    std::optional<TimestampTz> valid_from;
    fact::ParseOptions parse;
};

// Plans, writes and returns the new tx id. Throws on every error; nothing is written then.
int64 run_transact(const TransactArgs& args);

}  // namespace persistence::pg
