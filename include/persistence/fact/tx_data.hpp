// Parsing transaction data (the tx_data argument of persistence.transact) into operations.
//
//   [:db/add e a v opts?]  [:db/retract e a v? opts?]  [:db/cas e a old new opts?]
//   [:db/retractEntity e opts?]   {:db/id e, :a v, ..., :db/valid-from t, :db/valid-to t}
// opts is a map {:valid-from t :valid-to t}. e is an EDN string (taken as is) or a #uuid
// (its canonical lower-case text). a is a keyword. Times are #inst values.
//
// JSON mode (the jsonb overload, after jsonb → edn): op names and attributes may be
// strings ("db/add" or ":db/add", "person/name"), entity-map keys are strings, times are
// RFC 3339 strings; values are converted to the attribute's type later (planner.hpp).
//
// Errors: 22P02 with the path of the bad element in the message, e.g.
//   "tx_data[2][1]: entity id must be a string or #uuid, got :foo".
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <optional>
#include <string>
#include <vector>

#include "persistence/core/error.hpp"
#include "persistence/edn/value.hpp"
#include "persistence/fact/model.hpp"

namespace persistence::fact {

enum class OpKind : uint8_t { add, retract, cas, retract_entity };

struct TxOp {
    OpKind kind = OpKind::add;
    std::string e;              // entity id
    std::string a;              // ":ns/name"; empty for retract_entity
    std::string value;          // encoded EDN; add/retract: v (empty: retract every value); cas: new
    std::string old_value;      // cas: expected current value (encoded; nil = no value)
    bool from_entity_map = false;   // a collection value may mean several values (cardinality many)
    std::optional<Micros> valid_from;  // not given: the transaction's default
    std::optional<Micros> valid_to;    // not given: open
    std::string path;           // "tx_data[2]" or "tx_data[2] :person/name", for errors
};

struct ParseOptions {
    bool json = false;               // tx data came from jsonb
    bool allow_system = false;       // define_attribute may write :db/* attributes
};

// Structural parse only; attribute types are checked by the planner. Rejects attributes in
// the reserved namespaces db and db.* (22023, naming the attribute) unless
// allow_system; entity ids that start with ':' (reserved for attribute entities) likewise.
core::Result<std::vector<TxOp>> parse_tx_data(edn::ValueRef tx_data, const ParseOptions& options);

}  // namespace persistence::fact
