#include "persistence/fact/planner.hpp"
#include "persistence/edn/encoder.hpp"
#include "persistence/fact/timeline.hpp"

#include "pg/fact/attributes.hpp"

#include <unordered_map>
#include <vector>

#include "pg/boundary.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/fact/pg_time.hpp"
#include "pg/fact/relations.hpp"
#include "pg/fact/scan.hpp"
#include "pg/fact/store.hpp"
#include "pg/fact/values.hpp"

extern "C" {
#include "utils/inval.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
}

namespace persistence::pg {

namespace {

// Never destroyed (no static C++ object with a destructor, STYLE.md §1).
std::unordered_map<std::string, fact::Attribute>* cache = nullptr;
bool callback_registered = false;

// Any relcache invalidation clears the cache: schema changes send one for
// persistence.datoms, and the others are rare enough that refilling costs nothing.
void forget_attributes(Datum, Oid) {
    if (cache != nullptr) cache->clear();
}

fact::Digest keyword_hash(std::string_view name) {
    edn::Encoder enc;
    enc.keyword(name);
    auto bytes = enc.finish();
    return hash::sha256(bytes.value().data(), bytes.value().size());
}

std::string stored_text(const fact::Digest& h) {
    Datum d = call_pg([&] { return value_lookup(h.data()); });
    if (d == 0) return {};
    edn::ValueRef v = edn_view(d);
    if (v.tag() != edn::Tag::string) return {};
    return std::string(v.as_text());
}

fact::Attribute builtin(const std::string& ident) {
    fact::Attribute a;
    a.ident = ident;
    a.defined = true;
    if (ident == ":db/doc" || ident == ":db.attr/spec")
        a.type = fact::ValueType::string;
    else if (ident == ":db/ident" || ident == ":db/valueType" || ident == ":db/cardinality" || ident == ":db/unique")
        a.type = fact::ValueType::keyword;
    else
        a.defined = false;
    return a;
}

bool is_schema_ident(const std::string& ident) {
    return ident.rfind(":db/", 0) == 0 || ident.rfind(":db.", 0) == 0;
}

}  // namespace

fact::Attribute read_attribute(const std::string& ident, int64 max_tx, fact::Micros at, bool reader) {
    if (is_schema_ident(ident)) return builtin(ident);
    std::vector<fact::StoredDatom> datoms;
    {
        const FactRelations& r = fact_relations();
        auto* s = static_cast<DatomScan*>(palloc_or_throw(sizeof(DatomScan)));
        Snapshot snap = call_pg([&] { return reader ? GetActiveSnapshot() : latest_snapshot(); });
        call_pg([&] { datom_scan_open(s, r.datoms_eavt, snap, nullptr, main_view(), max_tx); });
        ScanKeyData key;
        call_pg([&] {
            key_text_eq(&key, 1, ident.data(), int(ident.size()));
            datom_scan_start(s, &key, 1, BackwardScanDirection);
        });
        RawDatom raw;
        while (call_pg([&] { return datom_scan_next(s, &raw); })) datoms.push_back(stored_datom(raw));
        call_pg([&] {
            datom_scan_close(s);
            if (!reader) UnregisterSnapshot(snap);
        });
    }
    fact::Attribute attr;
    attr.ident = ident;
    // The datoms arrive grouped by attribute; each group is read at `at`.
    size_t i = 0;
    while (i < datoms.size()) {
        size_t j = i;
        fact::ValuesAt values(at, false);
        while (j < datoms.size() && datoms[j].a == datoms[i].a) values.feed(datoms[j++]);
        std::vector<fact::Piece> found = values.values();
        const std::string& a = datoms[i].a;
        i = j;
        if (found.empty()) continue;
        const fact::Digest& h = found.front().vhash;
        if (a == ":db/ident") {
            attr.defined = true;
        } else if (a == ":db/valueType") {
            for (int t = int(fact::ValueType::any); t <= int(fact::ValueType::edn); ++t)
                if (h == keyword_hash(std::string("db.type/") + fact::value_type_name(fact::ValueType(t))))
                    attr.type = fact::ValueType(t);
        } else if (a == ":db/cardinality") {
            attr.many = h == keyword_hash("db.cardinality/many");
        } else if (a == ":db/unique") {
            if (h == keyword_hash("db.unique/identity")) attr.unique = fact::Unique::identity;
            if (h == keyword_hash("db.unique/value")) attr.unique = fact::Unique::value;
        } else if (a == ":db/doc") {
            attr.doc = stored_text(h);
        } else if (a == ":db.attr/spec") {
            attr.spec = stored_text(h);
        }
    }
    if (!attr.defined) {
        attr = fact::Attribute{};
        attr.ident = ident;
    }
    return attr;
}

fact::Attribute lookup_attribute(const std::string& ident) {
    if (!callback_registered) {
        call_pg([] { CacheRegisterRelcacheCallback(forget_attributes, (Datum)0); });
        callback_registered = true;
    }
    if (cache == nullptr) cache = new std::unordered_map<std::string, fact::Attribute>();
    auto it = cache->find(ident);
    if (it != cache->end()) return it->second;
    fact::Micros now = micros_from_timestamptz(call_pg([] { return GetCurrentTimestamp(); }));
    fact::Attribute a = read_attribute(ident, PG_INT64_MAX, now, false);
    (*cache)[ident] = a;
    return a;
}

void note_schema_change() {
    Oid datoms = fact_relations().datoms;
    call_pg([datoms] { CacheInvalidateRelcacheByRelid(datoms); });
}

}  // namespace persistence::pg
