// The planner's state, shared by planner.cpp (the steps) and unique.cpp (unique values and
// identity upserts). Private to src/core/fact.
#pragma once

#include <cstdint>
#include <forward_list>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/fact/planner.hpp"
#include "persistence/fact/timeline.hpp"
#include "pieces.hpp"

namespace persistence::fact::detail {

inline constexpr uint32_t none = UINT32_MAX;

// One operation, typed and resolved: entity-map collections expanded, defaults applied.
struct PlanOp {
    OpKind kind = OpKind::add;
    std::string e;
    uint32_t attr = none;  // index into Plan::attrs; none for retract_entity
    std::string value;     // encoded, converted; empty: every value (retract)
    Digest vhash{};
    std::string ref;        // the id a ref value names
    bool old_nil = false;   // cas: expects no value
    std::string old_value;  // cas
    Digest old_hash{};
    Interval valid;
    uint32_t source = 0;  // index into Plan::tx_ops, for the error path
    uint32_t slot = none;
};

// The working copy of one touched (e, a).
struct Slot {
    const std::string* e = nullptr;  // PlanOp::e, Attribute::ident or Plan::names: stable
    const std::string* a = nullptr;
    uint32_t attr = none;  // none: an attribute found only by retractEntity's scan
    bool many = false;
    bool entity_scan = false;    // read through scan_e (its entity is retracted)
    Interval region;             // hull of the intervals of the operations on it
    std::vector<Piece> initial;  // live pieces as read (the WorkPiece refs view into these)
    WorkPieces current;
    WorkPieces claims;  // cardinality one: what this transaction asserted (for 21000)
};

struct Plan {
    Plan(const PlanOptions& o, StateSource& s) : options(o), store(s) {}
    const PlanOptions& options;
    StateSource& store;
    std::vector<TxOp> tx_ops;
    std::vector<Attribute> attrs;  // each attribute named by an operation, once
    std::vector<PlanOp> ops;
    std::vector<Slot> slots;  // [0, sorted_slots) sorted by (e, a); then found by scan_e
    size_t sorted_slots = 0;
    std::vector<uint32_t> by_key;          // every slot, sorted by (e, a): built once reading is done
    std::forward_list<std::string> names;  // attribute names found by scan_e (stable addresses)

    const std::string& path(const PlanOp& op) const { return tx_ops[op.source].path; }
    uint32_t find_slot(std::string_view e, std::string_view a) const;
    // The slots of entity e, as a range of by_key.
    std::pair<const uint32_t*, const uint32_t*> entity_slots(std::string_view e) const;
};

// Unique attributes: the U locks (the first lock() call), the identity lookups and the
// aliasing of new entity ids (before the A/E locks), and the final check (after the
// operations ran on the working copies).
class UniqueChecks {
   public:
    core::Status prepare(Plan& plan);
    core::Status check(const Plan& plan) const;

   private:
    struct Holder {
        std::string e;
        std::vector<Piece> pieces;  // live pieces of (e, a, v) overlapping the group's hull
    };
    struct Group {
        uint32_t attr;
        Digest vhash;
        std::string_view value;        // encoded, for messages
        Interval hull;                 // of the claims' intervals
        std::vector<uint32_t> claims;  // PlanOp indices
        std::vector<Holder> holders;   // as stored
    };
    core::Status resolve_aliases(Plan& plan);
    std::vector<Group> groups_;
};

}  // namespace persistence::fact::detail
