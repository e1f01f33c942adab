// The write path of persistence.transact, as pure logic over an abstract store.
//
// plan_transaction() parses the tx data, checks every value against its attribute, takes
// the locks, reads the live pieces it needs and returns the datoms to write. It writes
// nothing: the caller allocates the tx id after the planner returns (so, per (e, a), tx
// ids follow commit order: the lock is held from before the allocation to the commit),
// hashes the datoms and inserts them. Any error means nothing was written.
//
// Errors (all before anything is written):
//   22P02 malformed tx data (path in the message)       42704 unknown attribute, strict mode
//   22023 value of the wrong type for its attribute     23505 unique violation
//   21000 two assertions of different values for one cardinality-one (e, a) overlap
//         inside one transaction
//   PX001 :db/cas found a different current value (custom SQLSTATE, docs/fact.md)
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <functional>
#include <string>
#include <vector>

#include "persistence/core/error.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/edn/value.hpp"
#include "persistence/fact/model.hpp"
#include "persistence/fact/tx_data.hpp"

namespace persistence::fact {

namespace sqlstate {
inline constexpr const char* cas_failed = "PX001";
inline constexpr const char* cardinality_violation = "21000";
inline constexpr const char* unique_violation = "23505";
inline constexpr const char* undefined_object = "42704";
}  // namespace sqlstate

// A lock the planner needs, taken in the order given (sorted, so two transactions never
// wait for each other in a cycle). Exclusive for the keys it changes; shared for the
// entity key of an entity whose attributes it changes (retractEntity takes it exclusive).
enum class LockSpace : uint8_t { unique_value = 1, entity = 2 };
struct LockRequest {
    Digest key{};
    bool exclusive = true;
    LockSpace space = LockSpace::entity;  // U keys: unique_value; A and E keys: entity
};
// Keys: SHA-256 of a tag byte and the parts, each u32-length-prefixed:
//   'A' (e, a)       an attribute of an entity
//   'E' (e)          the whole entity
//   'U' (a, vhash)   a value of a unique attribute
Digest lock_key_ea(std::string_view e, std::string_view a);
Digest lock_key_entity(std::string_view e);
Digest lock_key_unique(std::string_view a, const Digest& vhash);

using DatomSink = std::function<bool(const StoredDatom&)>;  // false: stop the scan

// What the planner needs from the store, in the caller's branch and snapshot. Scans see
// the state as of the latest transaction, including the caller's own earlier writes. An
// implementation may throw (the PostgreSQL face throws PgError, e.g. 40001 when a locked
// key was changed by a transaction this one cannot see); the planner lets it unwind.
class StateSource {
   public:
    virtual ~StateSource() = default;
    virtual Attribute attribute(const std::string& ident) = 0;
    virtual void lock(const std::vector<LockRequest>& locks) = 0;
    // Datoms of (e, a), newest tx first.
    virtual void scan_ea(const std::string& e, const std::string& a, const DatomSink& sink) = 0;
    // Datoms of e, grouped by attribute; within one attribute newest tx first.
    virtual void scan_e(const std::string& e, const DatomSink& sink) = 0;
    // Datoms of attribute a whose value hash is vhash (any entity), newest tx first.
    virtual void scan_av(const std::string& a, const Digest& vhash, const DatomSink& sink) = 0;
    // Whether e has any datom at all.
    virtual bool entity_exists(const std::string& e) = 0;
    // The encoded value whose hash is vhash, if the store has it. Used only to print the
    // value a failed :db/cas found; by default the message shows the hash instead.
    virtual bool load_value(const Digest& vhash, std::string& encoded) {
        (void)vhash;
        (void)encoded;
        return false;
    }
};

struct PlanOptions {
    Micros tx_time = 0;                      // the default valid_from
    std::optional<Micros> valid_from;        // transact's valid_from argument, if given
    bool strict_schema = false;              // persistence.strict_schema
    ParseOptions parse;
    edn::Limits limits;
};

// Steps, in order: parse; look up each attribute; type-check and coerce every value
// (JSON strings become keywords, instants, uuids; JSON decimals become doubles for double
// attributes); expand entity-map collections for cardinality-many attributes; resolve
// unique-identity upserts (an entity id with no datoms that names a value held by another
// entity becomes that entity, for every op of the transaction); lock; read the live
// pieces; apply the operations in order to a working copy; check unique values; diff.
core::Result<std::vector<NewDatom>> plan_transaction(edn::ValueRef tx_data, const PlanOptions& options,
                                                     StateSource& store);

}  // namespace persistence::fact
