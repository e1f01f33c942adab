#include "persistence/fact/planner.hpp"
#include "pg/fact/store.hpp"

#include <algorithm>
#include <cstring>

#include "pg/boundary.hpp"
#include "pg/fact/attributes.hpp"
#include "pg/fact/pg_time.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/fact/relations.hpp"
#include "pg/fact/values.hpp"

extern "C" {
#include "access/xact.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/snapmgr.h"
}

namespace persistence::pg {

namespace {

// Locks are hashed into a bounded number of buckets per space, so a transaction of a
// million datoms takes at most `lock_buckets` locks from the shared lock table. Two keys
// in one bucket only make their writers wait for each other; whether a transaction must
// fail (40001) is decided from the data, never from the lock.
constexpr uint32 lock_buckets = 1024;
constexpr uint16 lock_space_tag = 0x5045;  // 'P' 'E': apart from pg_advisory_lock's 1 and 2

uint32 bucket_of(const fact::Digest& key) {
    uint32 v;
    std::memcpy(&v, key.data(), sizeof v);
    return v % lock_buckets;
}

}  // namespace

void take_fact_locks(int space, const std::vector<fact::LockRequest>& locks) {
    // bucket → exclusive?; sorted, deduplicated, exclusive wins.
    std::vector<std::pair<uint32, bool>> buckets;
    buckets.reserve(locks.size());
    for (const auto& l : locks) buckets.emplace_back(bucket_of(l.key), l.exclusive);
    std::sort(buckets.begin(), buckets.end(),
              [](const auto& x, const auto& y) { return x.first < y.first || (x.first == y.first && x.second > y.second); });
    uint32 previous = UINT32_MAX;
    for (const auto& entry : buckets) {
        uint32 bucket = entry.first;
        bool exclusive = entry.second;
        if (bucket == previous) continue;
        previous = bucket;
        call_pg([&] {
            LOCKTAG tag;
            SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, uint32(space), bucket, lock_space_tag);
            (void)LockAcquire(&tag, exclusive ? ExclusiveLock : ShareLock, false, false);
        });
    }
}

fact::StoredDatom stored_datom(const RawDatom& raw) {
    fact::StoredDatom d;
    d.e.assign(raw.e, size_t(raw.e_len));
    d.a.assign(raw.a, size_t(raw.a_len));
    if (raw.vh_len == int(d.vhash.size())) std::memcpy(d.vhash.data(), raw.vh, d.vhash.size());
    if (raw.ref != nullptr) d.ref.assign(raw.ref, size_t(raw.ref_len));
    d.tx = raw.tx;
    d.valid.from = micros_from_timestamptz(raw.valid_from);
    d.valid.to = raw.valid_to_open ? fact::open_end : micros_from_timestamptz(raw.valid_to);
    d.is_assert = raw.is_assert;
    return d;
}

PgStore::PgStore(const BranchView& view) : view_(view) {
    latest_ = call_pg([] { return latest_snapshot(); });
    if (IsolationUsesXactSnapshot()) check_ = call_pg([] { return GetActiveSnapshot(); });
}

PgStore::~PgStore() = default;

void PgStore::close() {
    call_pg([this] {
        if (eavt_ != nullptr) datom_scan_close(eavt_);
        if (avet_ != nullptr) datom_scan_close(avet_);
        if (latest_ != nullptr) UnregisterSnapshot(latest_);
    });
    eavt_ = avet_ = nullptr;
    latest_ = nullptr;
}

fact::Attribute PgStore::attribute(const std::string& ident) { return lookup_attribute(ident); }

void PgStore::lock(const std::vector<fact::LockRequest>& locks) {
    // The planner's first call takes unique-value keys, its second the entity keys; each
    // space is taken in sorted order and always after the previous one: no cycles.
    std::vector<fact::LockRequest> unique_values, entities;
    for (const auto& l : locks) (l.space == fact::LockSpace::unique_value ? unique_values : entities).push_back(l);
    take_fact_locks(int(fact::LockSpace::unique_value), unique_values);
    take_fact_locks(int(fact::LockSpace::entity), entities);
    locked_ = true;
    // Everything committed by the writers we waited for is visible from here on.
    Snapshot old = latest_;
    latest_ = call_pg([old] {
        UnregisterSnapshot(old);
        return latest_snapshot();
    });
    if (eavt_ != nullptr) eavt_->see = latest_;
    if (avet_ != nullptr) avet_->see = latest_;
}

DatomScan* PgStore::scan_for(Oid index) {
    DatomScan*& s = index == fact_relations().datoms_eavt ? eavt_ : avet_;
    if (s == nullptr) {
        auto* fresh = static_cast<DatomScan*>(palloc_or_throw(sizeof(DatomScan)));
        call_pg([&] { datom_scan_open(fresh, index, latest_, nullptr, view_, PG_INT64_MAX); });
        s = fresh;
    }
    s->see = latest_;
    s->check = locked_ ? check_ : nullptr;
    return s;
}

void PgStore::walk(DatomScan* s, ScanKey keys, int nkeys, const fact::DatomSink& sink) {
    call_pg([&] { datom_scan_start(s, keys, nkeys, BackwardScanDirection); });
    RawDatom raw;
    std::string pair;
    while (call_pg([&] { return datom_scan_next(s, &raw); })) {
        pair.assign(raw.e, size_t(raw.e_len)).push_back('\0');
        pair.append(raw.a, size_t(raw.a_len));
        seen_.insert(pair);
        if (!sink(stored_datom(raw))) break;
    }
}

bool PgStore::saw(const std::string& e, const std::string& a) const {
    std::string pair = e;
    pair.push_back('\0');
    pair += a;
    return seen_.count(pair) != 0;
}

void PgStore::scan_ea(const std::string& e, const std::string& a, const fact::DatomSink& sink) {
    DatomScan* s = scan_for(fact_relations().datoms_eavt);
    ScanKeyData keys[2];
    call_pg([&] {
        key_text_eq(&keys[0], 1, e.data(), int(e.size()));
        key_text_eq(&keys[1], 2, a.data(), int(a.size()));
    });
    walk(s, keys, 2, sink);
}

void PgStore::scan_e(const std::string& e, const fact::DatomSink& sink) {
    DatomScan* s = scan_for(fact_relations().datoms_eavt);
    ScanKeyData keys[1];
    call_pg([&] { key_text_eq(&keys[0], 1, e.data(), int(e.size())); });
    walk(s, keys, 1, sink);
}

void PgStore::scan_av(const std::string& a, const fact::Digest& vhash, const fact::DatomSink& sink) {
    DatomScan* s = scan_for(fact_relations().datoms_avet);
    ScanKeyData keys[2];
    call_pg([&] {
        key_text_eq(&keys[0], 1, a.data(), int(a.size()));
        key_bytea_eq(&keys[1], 2, vhash.data(), int(vhash.size()));
    });
    walk(s, keys, 2, sink);
}

bool PgStore::entity_exists(const std::string& e) {
    bool found = false;
    bool saved = locked_;
    locked_ = false;  // existence is not a locked key: no conflict check
    scan_e(e, [&found](const fact::StoredDatom&) {
        found = true;
        return false;
    });
    locked_ = saved;
    return found;
}

}  // namespace persistence::pg

namespace persistence::pg {

bool PgStore::load_value(const fact::Digest& vhash, std::string& out) {
    Datum d = call_pg([&] { return value_lookup(vhash.data()); });
    if (d == 0) return false;
    edn::ValueRef v = edn_view(d);
    out.assign(reinterpret_cast<const char*>(v.data()), v.size());
    return true;
}

}  // namespace persistence::pg
