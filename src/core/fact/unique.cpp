// Unique attributes. A claim is an add (or a cas's new value) of a unique attribute. The
// claims' U keys are locked first (one lock() call), then scan_av finds the entities that
// hold each value as stored. Unique identity: a new entity id (no datoms) whose value is
// held by another entity becomes that entity for every operation of the transaction (an
// upsert). The final check runs on the working copies, so moving a value from one entity
// to another inside one transaction works; anything else that leaves two entities holding
// one value at one valid instant is 23505.
#include <algorithm>

#include "common.hpp"
#include "locks.hpp"
#include "plan.hpp"

namespace persistence::fact::detail {

namespace {

bool overlaps3(const Interval& a, const Interval& b, const Interval& c) {
    return std::max({a.from, b.from, c.from}) < std::min({a.to, b.to, c.to});
}

std::string value_text(std::string_view encoded) { return printed_bytes(encoded); }

core::Error unique_error(std::string message, std::string hint) {
    return core::Error(sqlstate::unique_violation, std::move(message), std::move(hint));
}

}  // namespace

core::Status UniqueChecks::prepare(Plan& plan) {
    std::vector<uint32_t> claims;
    for (uint32_t i = 0; i < plan.ops.size(); ++i) {
        const PlanOp& op = plan.ops[i];
        if ((op.kind == OpKind::add || op.kind == OpKind::cas) && plan.attrs[op.attr].unique != Unique::none)
            claims.push_back(i);
    }
    if (claims.empty()) return {};
    std::sort(claims.begin(), claims.end(), [&](uint32_t x, uint32_t y) {
        const PlanOp &a = plan.ops[x], &b = plan.ops[y];
        if (a.attr != b.attr) return a.attr < b.attr;
        if (a.vhash != b.vhash) return a.vhash < b.vhash;
        return x < y;
    });
    for (uint32_t i : claims) {
        const PlanOp& op = plan.ops[i];
        if (groups_.empty() || groups_.back().attr != op.attr || groups_.back().vhash != op.vhash)
            groups_.push_back(Group{op.attr, op.vhash, op.value, op.valid, {}, {}});
        Group& g = groups_.back();
        g.hull = hull(g.hull, op.valid);
        g.claims.push_back(i);
    }

    // First lock() call: the values, before anything about them is read.
    std::vector<LockRequest> locks;
    locks.reserve(groups_.size());
    for (const Group& g : groups_)
        locks.push_back(LockRequest{lock_key_unique(plan.attrs[g.attr].ident, g.vhash), true});
    normalize_locks(locks);
    plan.store.lock(locks);

    // Who holds each value, per entity. scan_av gives one value's datoms, and same-value
    // pieces never overlap, so each entity's reader may stop early (timeline.cpp).
    for (Group& g : groups_) {
        struct Reader {
            std::string e;
            LivePieces pieces;
            bool done;
        };
        std::vector<Reader> readers;
        size_t last = 0;
        plan.store.scan_av(plan.attrs[g.attr].ident, g.vhash, [&](const StoredDatom& d) {
            if (last >= readers.size() || readers[last].e != d.e) {
                last = readers.size();
                for (size_t r = 0; r < readers.size(); ++r)
                    if (readers[r].e == d.e) last = r;
                if (last == readers.size()) readers.push_back(Reader{d.e, LivePieces(g.hull, false), false});
            }
            Reader& r = readers[last];
            if (!r.done && !r.pieces.feed(d)) r.done = true;
            return true;
        });
        for (Reader& r : readers) {
            std::vector<Piece> pieces = r.pieces.pieces();
            if (!pieces.empty()) g.holders.push_back(Holder{std::move(r.e), std::move(pieces)});
        }
    }
    return resolve_aliases(plan);
}

core::Status UniqueChecks::resolve_aliases(Plan& plan) {
    struct Alias {
        std::string from, to;
        const Group* group;
    };
    std::vector<Alias> aliases;
    std::vector<std::pair<std::string, bool>> exists;  // entity_exists, asked once per id
    for (const Group& g : groups_) {
        const Attribute& attr = plan.attrs[g.attr];
        if (attr.unique != Unique::identity || g.holders.empty()) continue;
        for (uint32_t i : g.claims) {
            const PlanOp& op = plan.ops[i];
            const Holder* holder = nullptr;
            for (const Holder& h : g.holders) {
                if (h.e == op.e) continue;
                bool overlapping = std::any_of(h.pieces.begin(), h.pieces.end(),
                                               [&](const Piece& p) { return p.valid.overlaps(op.valid); });
                if (!overlapping) continue;
                if (holder)
                    return unique_error(plan.path(op) + ": unique identity value " + value_text(g.value) +
                                            " of " + attr.ident + " is held by both " + quoted(holder->e) +
                                            " and " + quoted(h.e) + " during " + interval_text(op.valid) +
                                            ", so entity " + quoted(op.e) +
                                            " cannot be merged into one of them",
                                        "Give the assertion a :valid-from/:valid-to inside one holder's "
                                        "interval, or use that entity's id.");
                holder = &h;
            }
            if (!holder) continue;
            auto known =
                std::find_if(exists.begin(), exists.end(), [&](const auto& x) { return x.first == op.e; });
            if (known == exists.end()) {
                exists.emplace_back(op.e, plan.store.entity_exists(op.e));
                known = exists.end() - 1;
            }
            if (known->second) continue;  // an existing entity is never merged: check() reports it
            auto a =
                std::find_if(aliases.begin(), aliases.end(), [&](const Alias& x) { return x.from == op.e; });
            if (a == aliases.end()) {
                aliases.push_back(Alias{op.e, holder->e, &g});
            } else if (a->to != holder->e) {
                return unique_error(
                    plan.path(op) + ": entity " + quoted(op.e) + " would be both " + quoted(a->to) + " (by " +
                        plan.attrs[a->group->attr].ident + " " + value_text(a->group->value) + ") and " +
                        quoted(holder->e) + " (by " + attr.ident + " " + value_text(g.value) + ")",
                    "The unique identity values of one entity map name two different existing entities; "
                    "correct one of the values.");
            }
        }
    }
    if (aliases.empty()) return {};
    for (PlanOp& op : plan.ops)
        for (const Alias& a : aliases)
            if (op.e == a.from) {
                op.e = a.to;
                break;
            }
    return {};
}

core::Status UniqueChecks::check(const Plan& plan) const {
    struct Owner {
        std::string_view e;
        bool claimer;
        std::vector<Interval> pieces;  // final pieces of the value, clipped to the group's hull
    };
    std::vector<Owner> owners;
    for (const Group& g : groups_) {
        const Attribute& attr = plan.attrs[g.attr];
        owners.clear();
        auto owner = [&](std::string_view e, bool claimer) {
            for (Owner& o : owners)
                if (o.e == e) {
                    o.claimer = o.claimer || claimer;
                    return;
                }
            owners.push_back(Owner{e, claimer, {}});
        };
        for (uint32_t i : g.claims) owner(plan.ops[i].e, true);
        for (const Holder& h : g.holders) owner(h.e, false);
        // The final state of an entity: its working copy where it was read, and what is stored
        // elsewhere (outside the region read, the transaction changed nothing).
        for (Owner& o : owners) {
            uint32_t slot = plan.find_slot(o.e, attr.ident);
            const Slot* s = slot == none ? nullptr : &plan.slots[slot];
            if (s)
                for (const WorkPiece& p : s->current)
                    if (p.vhash == g.vhash && p.valid.overlaps(g.hull)) o.pieces.push_back(p.valid);
            for (const Holder& h : g.holders) {
                if (h.e != o.e) continue;
                for (const Piece& p : h.pieces)
                    if (!s || !p.valid.overlaps(s->region)) o.pieces.push_back(p.valid);
            }
        }
        for (size_t x = 0; x < owners.size(); ++x) {
            for (size_t y = x + 1; y < owners.size(); ++y) {
                const Owner &a = owners[x], &b = owners[y];
                if (!a.claimer && !b.claimer) continue;
                for (const Interval& p : a.pieces) {
                    for (const Interval& q : b.pieces) {
                        if (!overlaps3(p, q, g.hull)) continue;
                        Interval both{std::max({p.from, q.from, g.hull.from}),
                                      std::min({p.to, q.to, g.hull.to})};
                        const Owner& claimer = a.claimer ? a : b;
                        const Owner& other = a.claimer ? b : a;
                        std::string kind = attr.unique == Unique::identity ? "identity" : "value";
                        if (a.claimer && b.claimer)
                            return unique_error(
                                "unique " + kind + " " + value_text(g.value) + " of " + attr.ident +
                                    " is asserted for both " + quoted(a.e) + " and " + quoted(b.e) +
                                    " in one transaction, overlapping during " + interval_text(both),
                                "A unique value belongs to one entity at a time: use one entity id for both, "
                                "or different values.");
                        std::string hint =
                            attr.unique == Unique::identity
                                ? "Entity " + quoted(claimer.e) +
                                      " already has datoms, so it is not merged into " + quoted(other.e) +
                                      " (an upsert merges only a new entity id): use " + quoted(other.e) +
                                      " as the id, or retract the value from it first."
                                : "A unique value belongs to one entity at a time: retract it from " +
                                      quoted(other.e) + " first, or use another value.";
                        return unique_error("unique " + kind + " " + value_text(g.value) + " of " +
                                                attr.ident + " is held by entity " + quoted(other.e) +
                                                " during " + interval_text(both) + "; entity " +
                                                quoted(claimer.e) + " cannot also have it",
                                            std::move(hint));
                    }
                }
            }
        }
    }
    return {};
}

}  // namespace persistence::fact::detail
