// An in-memory StateSource for the fact tests: the log as a vector, the schema as a map,
// values by hash, and a record of every call (so tests can check lock order and that reads
// follow locks). Helpers plan and commit transactions and read values like the SQL does.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "persistence/edn/inst.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/reader.hpp"
#include "persistence/fact/planner.hpp"
#include "persistence/fact/timeline.hpp"
#include "persistence/hash/sha256.hpp"

namespace fact_test {

namespace fact = persistence::fact;
namespace edn = persistence::edn;
namespace core = persistence::core;
using fact::Digest;
using fact::Interval;
using fact::Micros;
using fact::open_end;

inline edn::ValueRef vref(const std::string& bytes) {
    return edn::ValueRef(reinterpret_cast<const uint8_t*>(bytes.data()));
}

inline std::string rd(const std::string& text) {
    auto r = edn::read(text);
    INFO("text: " << text);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    return r.take();
}

inline Digest vhash_of(const std::string& text) {
    std::string b = rd(text);
    return persistence::hash::sha256(b.data(), b.size());
}

// "2026-04-14" (midnight UTC) or a full RFC 3339 time → µs since the epoch.
inline Micros t(const std::string& text) {
    std::string full = text.size() == 10 ? text + "T00:00:00Z" : text;
    edn::Inst i;
    auto s = edn::parse_rfc3339(full, i);
    INFO("time: " << text);
    REQUIRE(s.ok());
    return i.seconds * 1000000 + i.nanos / 1000;
}

// The #inst literal of a time given as for t().
inline std::string inst(const std::string& text) {
    return "#inst \"" + (text.size() == 10 ? text + "T00:00:00Z" : text) + "\"";
}

// A time as the tests print it: "2026-04-14" at midnight, else the full instant; "open".
inline std::string show_time(Micros m) {
    if (m == open_end) return "open";
    int64_t s = m / 1000000, r = m % 1000000;
    if (r < 0) {
        r += 1000000;
        s -= 1;
    }
    edn::Inst i{s, uint32_t(r) * 1000};
    std::string out;
    edn::format_inst(i, out);
    if (out.size() >= 10 && out.substr(10) == "T00:00:00.000Z") return out.substr(0, 10);
    return out;
}

class MemoryStore : public fact::StateSource {
   public:
    std::vector<fact::StoredDatom> log;  // commit order, so ascending tx
    std::map<std::string, fact::Attribute> schema;
    std::map<Digest, std::string> values;  // value hash → encoded value
    std::vector<std::vector<fact::LockRequest>> lock_calls;
    std::vector<std::string> events;  // "lock", "scan_ea e a", "scan_e e", "scan_av a", "exists e"
    int64_t last_tx = 0;
    uint32_t shuffle_seed = 0;  // non-zero: each scan shuffles the datoms inside a tx

    void define(const std::string& ident, fact::ValueType type, bool many = false,
                fact::Unique unique = fact::Unique::none) {
        fact::Attribute a;
        a.ident = ident;
        a.defined = true;
        a.type = type;
        a.many = many;
        a.unique = unique;
        schema[ident] = a;
    }

    fact::Attribute attribute(const std::string& ident) override {
        auto it = schema.find(ident);
        if (it != schema.end()) return it->second;
        fact::Attribute a;
        a.ident = ident;
        return a;
    }

    void lock(const std::vector<fact::LockRequest>& locks) override {
        events.push_back("lock");
        lock_calls.push_back(locks);
    }

    void scan_ea(const std::string& e, const std::string& a, const fact::DatomSink& sink) override {
        events.push_back("scan_ea " + e + " " + a);
        scan([&](const fact::StoredDatom& d) { return d.e == e && d.a == a; }, sink);
    }

    void scan_e(const std::string& e, const fact::DatomSink& sink) override {
        events.push_back("scan_e " + e);
        std::vector<std::string> attrs;
        for (const auto& d : log)
            if (d.e == e && std::find(attrs.begin(), attrs.end(), d.a) == attrs.end()) attrs.push_back(d.a);
        for (const auto& a : attrs) {
            bool more = true;
            scan([&](const fact::StoredDatom& d) { return d.e == e && d.a == a; },
                 [&](const fact::StoredDatom& d) { return more = sink(d); });
            if (!more) return;
        }
    }

    void scan_av(const std::string& a, const Digest& vhash, const fact::DatomSink& sink) override {
        events.push_back("scan_av " + a);
        scan([&](const fact::StoredDatom& d) { return d.a == a && d.vhash == vhash; }, sink);
    }

    bool entity_exists(const std::string& e) override {
        events.push_back("exists " + e);
        for (const auto& d : log)
            if (d.e == e) return true;
        return false;
    }

    bool load_value(const Digest& vhash, std::string& encoded) override {
        auto it = values.find(vhash);
        if (it == values.end()) return false;
        encoded = it->second;
        return true;
    }

    // Appends the planned datoms as one new transaction; returns its tx id.
    int64_t commit(const std::vector<fact::NewDatom>& datoms) {
        int64_t tx = ++last_tx;
        for (const auto& n : datoms) {
            if (!n.value.empty()) {
                Digest h = persistence::hash::sha256(n.value.data(), n.value.size());
                REQUIRE(h == n.vhash);
                values[h] = n.value;
            } else {
                REQUIRE(values.count(n.vhash) == 1);  // "empty if already stored"
            }
            log.push_back(fact::StoredDatom{n.e, n.a, n.vhash, n.ref, tx, n.valid, n.is_assert});
        }
        return tx;
    }

    // The printed value of a hash ("?" when unknown).
    std::string value_text(const Digest& h) const {
        auto it = values.find(h);
        return it == values.end() ? "?" : edn::to_string(vref(it->second));
    }

    // Datoms of (e, a) with tx <= as_of, newest first, in scan order.
    void scan_as_of(const std::string& e, const std::string& a, int64_t as_of, const fact::DatomSink& sink) {
        scan([&](const fact::StoredDatom& d) { return d.e == e && d.a == a && d.tx <= as_of; }, sink);
    }

    template <class Pred>
    void scan(Pred pred, const fact::DatomSink& sink) {
        size_t end = log.size();
        std::vector<size_t> group;
        while (end > 0) {
            size_t begin = end;
            while (begin > 0 && log[begin - 1].tx == log[end - 1].tx) --begin;
            group.clear();
            for (size_t i = end; i-- > begin;)
                if (pred(log[i])) group.push_back(i);
            if (shuffle_seed) {
                std::mt19937 rng(shuffle_seed ^ uint32_t(log[begin].tx * 2654435761u));
                std::shuffle(group.begin(), group.end(), rng);
            }
            for (size_t i : group)
                if (!sink(log[i])) return;
            end = begin;
        }
    }
};

inline fact::PlanOptions options(Micros tx_time) {
    fact::PlanOptions o;
    o.tx_time = tx_time;
    return o;
}

inline core::Result<std::vector<fact::NewDatom>> plan(MemoryStore& store, const std::string& tx_text,
                                                      const fact::PlanOptions& o) {
    std::string bytes = rd(tx_text);
    return fact::plan_transaction(vref(bytes), o, store);
}

// One datom as the tests print it: "+ e :a v from..to" (- for a retraction).
inline std::string show(const MemoryStore& store, const fact::NewDatom& d) {
    std::string v = d.value.empty() ? store.value_text(d.vhash) : edn::to_string(vref(d.value));
    return std::string(d.is_assert ? "+ " : "- ") + d.e + " " + d.a + " " + v + " " +
           show_time(d.valid.from) + ".." + show_time(d.valid.to);
}

inline std::vector<std::string> show(const MemoryStore& store, const std::vector<fact::NewDatom>& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds) out.push_back(show(store, d));
    return out;
}

// Plans and commits; the transaction must succeed. Returns the printed datoms written.
inline std::vector<std::string> transact(MemoryStore& store, const std::string& tx_text,
                                         const fact::PlanOptions& o) {
    auto r = plan(store, tx_text, o);
    INFO("tx: " << tx_text);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    std::vector<std::string> shown = show(store, r.value());
    store.commit(r.value());
    return shown;
}

inline std::vector<std::string> transact(MemoryStore& store, const std::string& tx_text, Micros tx_time = 0) {
    return transact(store, tx_text, options(tx_time));
}

// Plans a transaction that must fail; returns its error (nothing is committed).
inline core::Error transact_error(MemoryStore& store, const std::string& tx_text,
                                  const fact::PlanOptions& o = options(0)) {
    auto r = plan(store, tx_text, o);
    INFO("tx: " << tx_text);
    REQUIRE_FALSE(r.ok());
    CHECK_FALSE(r.error().hint.empty());
    return r.error();
}

// The values of (e, a) at valid instant `at`, as known at tx as_of, printed and sorted.
inline std::vector<std::string> values_at(MemoryStore& store, const std::string& e, const std::string& a,
                                          int64_t as_of, Micros at) {
    fact::ValuesAt reader(at, store.attribute(a).many);
    store.scan_as_of(e, a, as_of, [&](const fact::StoredDatom& d) { return reader.feed(d); });
    std::vector<std::string> out;
    for (const auto& p : reader.values()) out.push_back(store.value_text(p.vhash));
    std::sort(out.begin(), out.end());
    return out;
}

// The one value of a cardinality-one (e, a), printed, or "nil".
inline std::string value_at(MemoryStore& store, const std::string& e, const std::string& a, int64_t as_of,
                            Micros at) {
    auto vs = values_at(store, e, a, as_of, at);
    REQUIRE(vs.size() <= 1);
    return vs.empty() ? "nil" : vs[0];
}

// Brute force: replays the datoms of (e, a) with tx <= as_of in tx order (retractions of a
// tx before its assertions) and returns the live pieces.
inline std::vector<fact::Piece> replay(const MemoryStore& store, const std::string& e, const std::string& a,
                                       int64_t as_of) {
    std::vector<fact::Piece> live;
    auto same = [](const fact::Piece& p, const fact::StoredDatom& d) {
        return p.vhash == d.vhash && p.valid == d.valid;
    };
    for (size_t i = 0; i < store.log.size();) {
        size_t j = i;
        while (j < store.log.size() && store.log[j].tx == store.log[i].tx) ++j;
        if (store.log[i].tx > as_of) break;
        for (int pass = 0; pass < 2; ++pass) {
            for (size_t k = i; k < j; ++k) {
                const auto& d = store.log[k];
                if (d.e != e || d.a != a || d.is_assert != (pass == 1)) continue;
                auto it =
                    std::find_if(live.begin(), live.end(), [&](const fact::Piece& p) { return same(p, d); });
                if (d.is_assert && it == live.end())
                    live.push_back(fact::Piece{d.vhash, d.ref, d.valid, d.tx});
                if (!d.is_assert && it != live.end()) live.erase(it);
            }
        }
        i = j;
    }
    return live;
}

}  // namespace fact_test
