// plan_transaction: tx data in, the datoms to write out (planner.hpp). The steps:
// prepare (attributes, types, intervals, hashes) → unique values (U locks, identity
// upserts) → slots (one working copy per touched (e, a)) → A/E locks → read → apply the
// operations in order → final unique check → diff the working copies against what was read.
#include "persistence/fact/planner.hpp"

#include <algorithm>
#include <type_traits>

#include "coerce.hpp"
#include "common.hpp"
#include "locks.hpp"
#include "persistence/edn/printer.hpp"
#include "plan.hpp"

namespace persistence::fact {

namespace detail {

namespace {

bool slot_less(const Slot& s, std::string_view e, std::string_view a) {
    return *s.e != e ? *s.e < e : *s.a < a;
}

}  // namespace

uint32_t Plan::find_slot(std::string_view e, std::string_view a) const {
    if (!by_key.empty() || slots.empty()) {
        auto it = std::lower_bound(by_key.begin(), by_key.end(), 0,
                                   [&](uint32_t i, int) { return slot_less(slots[i], e, a); });
        if (it != by_key.end() && *slots[*it].e == e && *slots[*it].a == a) return *it;
        return none;
    }
    // While reading: the sorted slots, then those found by scan_e so far.
    auto first = slots.begin(), last = slots.begin() + long(sorted_slots);
    auto it = std::lower_bound(first, last, 0, [&](const Slot& s, int) { return slot_less(s, e, a); });
    if (it != last && *it->e == e && *it->a == a) return uint32_t(it - slots.begin());
    for (size_t i = sorted_slots; i < slots.size(); ++i)
        if (*slots[i].e == e && *slots[i].a == a) return uint32_t(i);
    return none;
}

std::pair<const uint32_t*, const uint32_t*> Plan::entity_slots(std::string_view e) const {
    auto range = std::equal_range(by_key.begin(), by_key.end(), 0, [&](auto x, auto y) {
        // One side is the probe (an int), the other a slot index.
        if constexpr (std::is_same_v<decltype(x), int>)
            return e < *slots[y].e;
        else
            return *slots[x].e < e;
    });
    return {by_key.data() + (range.first - by_key.begin()), by_key.data() + (range.second - by_key.begin())};
}

namespace {

Digest hash_of(std::string_view encoded) { return hash::sha256(encoded.data(), encoded.size()); }

class Planner {
   public:
    explicit Planner(Plan& plan) : p_(plan) {}

    core::Status prepare();
    void build_slots();
    void lock();
    void read();
    core::Status apply();
    std::vector<NewDatom> diff();

   private:
    core::Status attribute_of(const TxOp& op, uint32_t& index);
    core::Status add_op(PlanOp op, const TxOp& src);
    core::Status cas_failed(const PlanOp& op, const WorkPiece* found) const;

    struct EntityScan {
        const std::string* e;  // an entity under retractEntity
        Interval hull;         // of its retractEntity intervals
    };
    Plan& p_;
    std::vector<EntityScan> scans_;
};

core::Status Planner::attribute_of(const TxOp& op, uint32_t& index) {
    for (uint32_t i = uint32_t(p_.attrs.size()); i-- > 0;) {
        if (p_.attrs[i].ident == op.a) {
            index = i;
            return {};
        }
    }
    Attribute attr = p_.store.attribute(op.a);
    attr.ident = op.a;
    if (!attr.defined) {
        if (p_.options.strict_schema)
            return core::Error(sqlstate::undefined_object,
                               op.path + ": attribute " + op.a + " is not defined",
                               "Define it first, e.g. SELECT persistence.define_attribute('" + op.a +
                                   "', 'string'); or turn off persistence.strict_schema.");
        attr.type = ValueType::any;  // model.hpp: undefined = any, one, not unique
        attr.many = false;
        attr.unique = Unique::none;
    }
    index = uint32_t(p_.attrs.size());
    p_.attrs.push_back(std::move(attr));
    return {};
}

// Types the value(s) of one operation and appends it, expanding an entity map's collection
// for a cardinality-many attribute into one add per element.
core::Status Planner::add_op(PlanOp op, const TxOp& src) {
    const Attribute* attr = op.attr == none ? nullptr : &p_.attrs[op.attr];
    const bool json = p_.options.parse.json;
    const edn::Limits& limits = p_.options.limits;
    switch (op.kind) {
        case OpKind::add: {
            edn::ValueRef v = view(op.value);
            bool coll = v.tag() == edn::Tag::vector || v.tag() == edn::Tag::list || v.tag() == edn::Tag::set;
            if (src.from_entity_map && attr->many && coll) {
                for (uint32_t i = 0; i < v.count(); ++i) {
                    PlanOp item;
                    item.kind = OpKind::add;
                    item.e = op.e;
                    item.attr = op.attr;
                    edn::ValueRef x = v.item(i);
                    item.value.assign(reinterpret_cast<const char*>(x.data()), x.size());
                    item.valid = op.valid;
                    item.source = op.source;
                    ValueContext ctx{src.path, item.e, *attr, "value"};
                    if (auto s = coerce_value(item.value, item.ref, ctx, json, limits); !s) return s;
                    item.vhash = hash_of(item.value);
                    p_.ops.push_back(std::move(item));
                }
                return {};
            }
            ValueContext ctx{src.path, op.e, *attr, "value"};
            if (auto s = coerce_value(op.value, op.ref, ctx, json, limits); !s) return s;
            op.vhash = hash_of(op.value);
            break;
        }
        case OpKind::retract:
            if (!op.value.empty()) {
                ValueContext ctx{src.path, op.e, *attr, "value"};
                if (auto s = coerce_value(op.value, op.ref, ctx, json, limits); !s) return s;
                op.vhash = hash_of(op.value);
            }
            break;
        case OpKind::cas: {
            if (attr->many)
                return core::Error(core::sqlstate::invalid_parameter_value,
                                   src.path + ": :db/cas needs a cardinality-one attribute; " + attr->ident +
                                       " is cardinality many",
                                   "Compare-and-set compares one current value; for a cardinality-many "
                                   "attribute use :db/retract and :db/add.");
            if (view(op.old_value).is_nil()) {
                op.old_nil = true;
            } else {
                std::string ignored;
                ValueContext ctx{src.path, op.e, *attr, "old value"};
                if (auto s = coerce_value(op.old_value, ignored, ctx, json, limits); !s) return s;
                op.old_hash = hash_of(op.old_value);
            }
            ValueContext ctx{src.path, op.e, *attr, "new value"};
            if (auto s = coerce_value(op.value, op.ref, ctx, json, limits); !s) return s;
            op.vhash = hash_of(op.value);
            break;
        }
        case OpKind::retract_entity:
            break;
    }
    p_.ops.push_back(std::move(op));
    return {};
}

core::Status Planner::prepare() {
    p_.ops.reserve(p_.tx_ops.size());
    const Micros default_from = p_.options.valid_from.value_or(p_.options.tx_time);
    for (uint32_t i = 0; i < p_.tx_ops.size(); ++i) {
        TxOp& src = p_.tx_ops[i];
        PlanOp op;
        op.kind = src.kind;
        op.source = i;
        op.valid.from = src.valid_from.value_or(default_from);
        op.valid.to = src.valid_to.value_or(open_end);
        if (op.valid.from >= op.valid.to)
            return core::Error(core::sqlstate::invalid_parameter_value,
                               src.path + ": valid-from " + format_micros(op.valid.from) +
                                   " is not before valid-to " + format_micros(op.valid.to),
                               src.valid_from
                                   ? "Valid intervals are half-open [valid-from, valid-to) and must "
                                     "not be empty."
                                   : "valid-from defaults to the transaction time (or transact's "
                                     "valid_from); give a :valid-from before :valid-to.");
        if (src.kind != OpKind::retract_entity) {
            if (auto s = attribute_of(src, op.attr); !s) return s;
        }
        op.e = std::move(src.e);
        op.value = std::move(src.value);
        op.old_value = std::move(src.old_value);
        if (auto s = add_op(std::move(op), src); !s) return s;
    }
    return {};
}

void Planner::build_slots() {
    std::vector<uint32_t> order;
    order.reserve(p_.ops.size());
    for (uint32_t i = 0; i < p_.ops.size(); ++i)
        if (p_.ops[i].kind != OpKind::retract_entity) order.push_back(i);
    auto ident = [&](uint32_t i) -> const std::string& { return p_.attrs[p_.ops[i].attr].ident; };
    std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
        const PlanOp &a = p_.ops[x], &b = p_.ops[y];
        if (a.e != b.e) return a.e < b.e;
        if (a.attr == b.attr) return x < y;
        return ident(x) < ident(y);
    });
    for (uint32_t i : order) {
        PlanOp& op = p_.ops[i];
        if (p_.slots.empty() || *p_.slots.back().e != op.e || p_.slots.back().attr != op.attr) {
            Slot s;
            s.e = &op.e;
            s.a = &p_.attrs[op.attr].ident;
            s.attr = op.attr;
            s.many = p_.attrs[op.attr].many;
            s.region = op.valid;
            p_.slots.push_back(std::move(s));
        }
        Slot& s = p_.slots.back();
        s.region = hull(s.region, op.valid);
        op.slot = uint32_t(p_.slots.size() - 1);
    }
    p_.sorted_slots = p_.slots.size();
    // An entity under retractEntity is read whole (scan_e, once per entity); its slots
    // cover the retracted intervals too.
    std::vector<uint32_t> retracted;
    for (uint32_t i = 0; i < p_.ops.size(); ++i)
        if (p_.ops[i].kind == OpKind::retract_entity) retracted.push_back(i);
    std::stable_sort(retracted.begin(), retracted.end(),
                     [&](uint32_t x, uint32_t y) { return p_.ops[x].e < p_.ops[y].e; });
    for (uint32_t i : retracted) {
        const PlanOp& op = p_.ops[i];
        if (scans_.empty() || *scans_.back().e != op.e)
            scans_.push_back(EntityScan{&op.e, op.valid});
        else
            scans_.back().hull = hull(scans_.back().hull, op.valid);
    }
    for (const EntityScan& scan : scans_) {
        auto first = std::lower_bound(p_.slots.begin(), p_.slots.end(), *scan.e,
                                      [](const Slot& s, const std::string& e) { return *s.e < e; });
        for (auto it = first; it != p_.slots.end() && *it->e == *scan.e; ++it) {
            it->region = hull(it->region, scan.hull);
            it->entity_scan = true;
        }
    }
}

void Planner::lock() {
    std::vector<LockRequest> locks;
    locks.reserve(2 * p_.slots.size() + 1);
    for (const Slot& s : p_.slots) {
        locks.push_back(LockRequest{lock_key_ea(*s.e, *s.a), true});
        locks.push_back(LockRequest{lock_key_entity(*s.e), false});
    }
    for (const PlanOp& op : p_.ops)
        if (op.kind == OpKind::retract_entity) locks.push_back(LockRequest{lock_key_entity(op.e), true});
    normalize_locks(locks);
    if (!locks.empty()) p_.store.lock(locks);
}

void Planner::read() {
    for (size_t i = 0; i < p_.sorted_slots; ++i) {
        Slot& s = p_.slots[i];
        if (s.entity_scan) continue;
        LivePieces reader(s.region, s.many);
        p_.store.scan_ea(*s.e, *s.a, [&](const StoredDatom& d) { return reader.feed(d); });
        s.initial = reader.pieces();
    }
    // Entities under retractEntity: every attribute, in one scan per entity. Cardinality is
    // not known for attributes found here, so no early stop (the scan reads all of e anyway).
    for (const EntityScan& scan : scans_) {
        struct Reader {
            uint32_t slot;
            LivePieces pieces;
        };
        std::vector<Reader> readers;
        size_t last = 0;
        p_.store.scan_e(*scan.e, [&](const StoredDatom& d) {
            if (readers.empty() || *p_.slots[readers[last].slot].a != d.a) {
                last = readers.size();
                for (size_t r = 0; r < readers.size(); ++r)
                    if (*p_.slots[readers[r].slot].a == d.a) last = r;
                if (last == readers.size()) {
                    uint32_t slot = p_.find_slot(*scan.e, d.a);
                    if (slot == none) {
                        p_.names.push_front(d.a);
                        Slot s;
                        s.e = scan.e;
                        s.a = &p_.names.front();
                        s.entity_scan = true;
                        s.region = scan.hull;
                        slot = uint32_t(p_.slots.size());
                        p_.slots.push_back(std::move(s));
                    }
                    readers.push_back(Reader{slot, LivePieces(p_.slots[slot].region, true)});
                }
            }
            readers[last].pieces.feed(d);
            return true;
        });
        for (Reader& r : readers) p_.slots[r.slot].initial = r.pieces.pieces();
    }
    for (Slot& s : p_.slots) {
        s.current.reserve(s.initial.size() + 2);
        for (const Piece& q : s.initial) s.current.push_back(WorkPiece{q.vhash, q.valid, {}, q.ref});
    }
    // From here on slots are found through by_key (the slots found by scan_e included).
    p_.by_key.resize(p_.slots.size());
    for (uint32_t i = 0; i < p_.by_key.size(); ++i) p_.by_key[i] = i;
    if (p_.sorted_slots != p_.slots.size())
        std::sort(p_.by_key.begin(), p_.by_key.end(), [&](uint32_t x, uint32_t y) {
            return slot_less(p_.slots[x], *p_.slots[y].e, *p_.slots[y].a);
        });
}

core::Status Planner::cas_failed(const PlanOp& op, const WorkPiece* found) const {
    const Slot& s = p_.slots[op.slot];
    std::string found_text;
    if (!found) {
        found_text = "no value";
    } else if (!found->value.empty()) {
        found_text = printed_bytes(found->value);
    } else {
        std::string bytes;
        if (p_.store.load_value(found->vhash, bytes) && !bytes.empty())
            found_text = printed_bytes(bytes);
        else
            found_text = "the value with hash " + hash::to_hex(found->vhash).substr(0, 16) + "...";
    }
    std::string expected = op.old_nil ? std::string("no value") : printed_bytes(op.old_value);
    return core::Error(sqlstate::cas_failed,
                       p_.path(op) + ": :db/cas failed for entity " + quoted(*s.e) + " attribute " + *s.a +
                           " at " + format_micros(op.valid.from) + ": expected " + expected + ", found " +
                           found_text,
                       "The value changed since it was read: read it again and retry the :db/cas with the "
                       "current value (nil for no value), or use :db/add to overwrite it.");
}

core::Status Planner::apply() {
    for (const PlanOp& op : p_.ops) {
        if (op.kind == OpKind::retract_entity) {
            for (auto [it, end] = p_.entity_slots(op.e); it != end; ++it) {
                Slot& s = p_.slots[*it];
                retract_pieces(s.current, nullptr, op.valid);
                retract_pieces(s.claims, nullptr, op.valid);
            }
            continue;
        }
        Slot& s = p_.slots[op.slot];
        WorkPiece piece{op.vhash, op.valid, op.value, op.ref};
        switch (op.kind) {
            case OpKind::add:
                if (!s.many) {
                    for (const WorkPiece& c : s.claims) {
                        if (c.vhash == op.vhash || !c.valid.overlaps(op.valid)) continue;
                        return core::Error(
                            sqlstate::cardinality_violation,
                            p_.path(op) + ": two values of cardinality-one attribute " + *s.a +
                                " of entity " + quoted(*s.e) + " overlap in one transaction: " +
                                printed_bytes(c.value) + " over " + interval_text(c.valid) + " and " +
                                printed_bytes(op.value) + " over " + interval_text(op.valid),
                            "A cardinality-one attribute has one value at a time: give the values disjoint "
                            ":valid-from/:valid-to intervals, or retract the first before adding the "
                            "second.");
                    }
                }
                add_piece(s.current, piece, s.many);
                if (!s.many) s.claims.push_back(piece);
                break;
            case OpKind::retract: {
                const Digest* v = op.value.empty() ? nullptr : &op.vhash;
                retract_pieces(s.current, v, op.valid);
                if (!s.many) retract_pieces(s.claims, v, op.valid);
                break;
            }
            case OpKind::cas: {
                const WorkPiece* found = piece_at(s.current, op.valid.from);
                bool ok = op.old_nil ? found == nullptr : found && found->vhash == op.old_hash;
                if (!ok) return cas_failed(op, found);
                add_piece(s.current, piece, false);
                s.claims.push_back(piece);
                break;
            }
            case OpKind::retract_entity:
                break;
        }
    }
    return {};
}

std::vector<NewDatom> Planner::diff() {
    std::vector<NewDatom> out;
    size_t most = 0;
    for (const Slot& s : p_.slots) most += s.initial.size() + s.current.size();
    out.reserve(most);
    std::vector<uint32_t> initial;  // reused: initial pieces of one slot in key order
    for (uint32_t si : p_.by_key) {
        Slot& s = p_.slots[si];
        auto less = [](const WorkPiece& x, const WorkPiece& y) {
            return key_less(x.vhash, x.valid, y.vhash, y.valid);
        };
        std::sort(s.current.begin(), s.current.end(), less);
        initial.resize(s.initial.size());
        for (uint32_t i = 0; i < initial.size(); ++i) initial[i] = i;
        std::sort(initial.begin(), initial.end(), [&](uint32_t x, uint32_t y) {
            return key_less(s.initial[x].vhash, s.initial[x].valid, s.initial[y].vhash, s.initial[y].valid);
        });
        auto emit = [&](const Digest& vhash, const Interval& valid, std::string_view value,
                        std::string_view ref, bool is_assert) {
            NewDatom d;
            d.e = *s.e;
            d.a = *s.a;
            d.vhash = vhash;
            if (is_assert) d.value.assign(value.data(), value.size());
            d.ref.assign(ref.data(), ref.size());
            d.valid = valid;
            d.is_assert = is_assert;
            out.push_back(std::move(d));
        };
        // Retractions first (pieces that went away), then assertions (pieces that came).
        for (int pass = 0; pass < 2; ++pass) {
            size_t i = 0, j = 0;
            while (i < initial.size() || j < s.current.size()) {
                const Piece* a = i < initial.size() ? &s.initial[initial[i]] : nullptr;
                const WorkPiece* b = j < s.current.size() ? &s.current[j] : nullptr;
                if (a && (!b || key_less(a->vhash, a->valid, b->vhash, b->valid))) {
                    if (pass == 0) emit(a->vhash, a->valid, {}, a->ref, false);
                    ++i;
                } else if (b && (!a || key_less(b->vhash, b->valid, a->vhash, a->valid))) {
                    if (pass == 1) emit(b->vhash, b->valid, b->value, b->ref, true);
                    ++j;
                } else {
                    ++i;
                    ++j;
                }
            }
        }
    }
    return out;
}

}  // namespace

}  // namespace detail

core::Result<std::vector<NewDatom>> plan_transaction(edn::ValueRef tx_data, const PlanOptions& options,
                                                     StateSource& store) {
    detail::Plan plan(options, store);
    auto parsed = parse_tx_data(tx_data, options.parse);
    if (!parsed) return parsed.error();
    plan.tx_ops = parsed.take();
    detail::Planner planner(plan);
    if (auto s = planner.prepare(); !s) return s.error();
    detail::UniqueChecks unique;
    if (auto s = unique.prepare(plan); !s) return s.error();
    planner.build_slots();
    planner.lock();
    planner.read();
    if (auto s = planner.apply(); !s) return s.error();
    if (auto s = unique.check(plan); !s) return s.error();
    return planner.diff();
}

}  // namespace persistence::fact
