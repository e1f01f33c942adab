// LivePieces and ValuesAt: hand-written cases for the early stop and the cancellation
// rules, then random histories written by the planner, where
//  * the early-stopping readers must agree with a brute-force replay of the whole log, for
//    every as-of tx, with the datoms of each tx in any order, and
//  * what the log says at every valid instant, as of every tx, must equal a model that
//    applies the operations instant by instant.
#include <map>
#include <random>
#include <set>

#include "memory_store.hpp"

using namespace fact_test;
using fact::LivePieces;
using fact::Piece;
using fact::StoredDatom;
using fact::ValuesAt;

namespace {

Digest vh(int v) {
    Digest d{};
    d[0] = uint8_t(v);
    return d;
}

StoredDatom datom(int64_t tx, int v, Micros from, Micros to, bool is_assert = true) {
    return StoredDatom{"e", ":a", vh(v), "", tx, Interval{from, to}, is_assert};
}

// Feeds until the reader says stop; returns how many datoms it took (the stopping one excluded).
template <class Reader>
size_t feed_all(Reader& r, const std::vector<StoredDatom>& ds) {
    for (size_t i = 0; i < ds.size(); ++i)
        if (!r.feed(ds[i])) return i;
    return ds.size();
}

std::vector<std::string> show(const std::vector<Piece>& ps) {
    std::vector<std::string> out;
    for (const auto& p : ps)
        out.push_back(std::to_string(p.vhash[0]) + "@" + std::to_string(p.valid.from) + "-" +
                      (p.valid.to == open_end ? std::string("inf") : std::to_string(p.valid.to)) + " tx" +
                      std::to_string(p.tx));
    std::sort(out.begin(), out.end());
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("LivePieces: early stop once the region is covered", "[fact][timeline]") {
    // Newest first: tx3 covers [0, 10) with one datom, so tx2 is not needed.
    std::vector<StoredDatom> log = {datom(3, 1, 0, open_end), datom(2, 2, 0, open_end, false),
                                    datom(2, 2, 0, open_end), datom(1, 9, 0, 3)};
    LivePieces one(Interval{0, 10}, false);
    CHECK(feed_all(one, log) == 1);
    CHECK(show(one.pieces()) == V{"1@0-inf tx3"});
    LivePieces many(Interval{0, 10}, true);
    CHECK(feed_all(many, log) == 4);
    // The whole log is inconsistent for cardinality one (it is only a feeding test); for
    // many every assertion not cancelled later is live.
    CHECK(show(many.pieces()) == V{"1@0-inf tx3", "2@0-inf tx2", "9@0-3 tx1"});

    // Coverage is the union over several datoms and txs; every datom of a tx is fed.
    log = {datom(5, 1, 5, open_end), datom(4, 2, 0, 3), datom(4, 3, 3, 5), datom(4, 4, 20, 30),
           datom(3, 7, 0, open_end)};
    LivePieces r(Interval{0, 10}, false);
    CHECK(feed_all(r, log) == 4);
    CHECK(show(r.pieces()) == V{"1@5-inf tx5", "2@0-3 tx4", "3@3-5 tx4"});  // 4@20-30 is outside the region

    // Not covered: reads to the end.
    log = {datom(2, 1, 5, open_end), datom(1, 2, 7, 8)};
    LivePieces gap(Interval{0, 10}, false);
    CHECK(feed_all(gap, log) == 2);
}

TEST_CASE("LivePieces: cancellation", "[fact][timeline]") {
    // tx2 retracted tx1's piece and re-asserted a part; tx1's assertion comes later in the
    // scan and must not revive the piece.
    std::vector<StoredDatom> log = {datom(2, 1, 0, open_end, false), datom(2, 1, 0, 5),
                                    datom(1, 1, 0, open_end)};
    LivePieces many(Interval{0, 100}, true);
    CHECK(feed_all(many, log) == 3);
    CHECK(show(many.pieces()) == V{"1@0-5 tx2"});
    // Within one tx an assertion wins, whatever the order.
    log = {datom(2, 1, 0, 5), datom(2, 1, 0, 5, false)};
    LivePieces a(Interval{0, 100}, true);
    feed_all(a, log);
    CHECK(show(a.pieces()) == V{"1@0-5 tx2"});
    std::reverse(log.begin(), log.end());
    LivePieces b(Interval{0, 100}, true);
    feed_all(b, log);
    CHECK(show(b.pieces()) == V{"1@0-5 tx2"});
    // A retraction in a newer tx kills an assertion in an older one.
    log = {datom(3, 1, 0, 5, false), datom(2, 1, 0, 5)};
    LivePieces c(Interval{0, 100}, true);
    feed_all(c, log);
    CHECK(c.pieces().empty());
}

TEST_CASE("ValuesAt: newest datom containing the instant decides", "[fact][timeline]") {
    std::vector<StoredDatom> log = {datom(3, 2, 5, open_end), datom(3, 1, 0, open_end, false),
                                    datom(3, 1, 0, 5), datom(2, 7, 0, open_end), datom(1, 1, 0, open_end)};
    ValuesAt at7(7, false);
    CHECK(feed_all(at7, log) == 3);  // tx3 decides; stops at tx2
    CHECK(show(at7.values()) == V{"2@5-inf tx3"});
    ValuesAt at2(2, false);
    CHECK(feed_all(at2, log) == 3);
    CHECK(show(at2.values()) == V{"1@0-5 tx3"});  // the retraction and the assertion: assertion wins
    // Before anything: empty, reads everything.
    ValuesAt before(-1, false);
    CHECK(feed_all(before, log) == 5);
    CHECK(before.values().empty());
    // Datoms of one value that do not contain the instant do not decide.
    log = {datom(2, 1, 0, 5, false), datom(1, 1, 0, 10)};
    ValuesAt at8(8, true);
    feed_all(at8, log);
    CHECK(show(at8.values()) == V{"1@0-10 tx1"});
}

TEST_CASE("long cardinality-many histories", "[fact][timeline]") {
    // Thousands of keys: the readers index them by hash (a linear scan would be quadratic).
    std::mt19937 rng(42);
    std::vector<StoredDatom> log;  // oldest first here; fed reversed
    std::map<std::pair<int, int>, bool> live;  // (value, from) → live
    for (int64_t tx = 1; tx <= 3000; ++tx) {
        int v = int(rng() % 200), from = int(rng() % 20);
        bool assert_ = !live[{v, from}];
        live[{v, from}] = assert_;
        log.push_back(StoredDatom{"e", ":a", vh(v), "", tx, Interval{from, from + 100}, assert_});
        log.back().vhash[1] = uint8_t(from);  // 200 values x 20 starts: distinct keys
    }
    std::vector<StoredDatom> newest_first(log.rbegin(), log.rend());
    LivePieces lp(Interval{0, 1000}, true);
    CHECK(feed_all(lp, newest_first) == newest_first.size());
    size_t want = 0;
    for (const auto& [k, on] : live) want += on;
    CHECK(lp.pieces().size() == want);
    for (const auto& p : lp.pieces()) CHECK(live[{p.vhash[0], int(p.valid.from)}]);
    ValuesAt va(50, true);
    feed_all(va, newest_first);
    CHECK(va.values().size() == want);  // every live piece contains 50
}

namespace {

// A random history over two entities, a cardinality-one and a cardinality-many attribute,
// values 1..4 and valid times on a line of N+1 instants (seconds 0..N; N means "N and later").
struct History {
    static constexpr int N = 8;
    static constexpr int entities = 2;
    MemoryStore store;
    // model[tx][e][attr][instant] = the value set known at that tx
    using State = std::vector<std::vector<std::vector<std::set<int>>>>;
    std::vector<State> model;
    std::vector<std::string> attrs = {":h/one", ":h/many"};
    int committed = 0, cas_failures = 0;

    static std::string e(int i) { return "e" + std::to_string(i); }
    static Micros sec(int s) { return Micros(s) * 1000000; }
    static std::string at(int s) {
        std::string out = "#inst \"";
        edn::format_inst(edn::Inst{s, 0}, out);
        return out + "\"";
    }

    explicit History(uint32_t seed) {
        store.define(":h/one", fact::ValueType::integer);
        store.define(":h/many", fact::ValueType::integer, true);
        model.push_back(
            State(entities, std::vector<std::vector<std::set<int>>>(2, std::vector<std::set<int>>(N + 1))));
        std::mt19937 rng(seed);
        for (int k = 0; k < 24; ++k) step(rng);
    }

    void step(std::mt19937& rng) {
        State next = model.back();
        int tx_time = int(rng() % (N + 1));
        std::string text = "[";
        bool expect_cas_failure = false;
        std::set<std::pair<int, int>> card_one_adds;  // at most one per (e, attr): no 21000 here
        int n = 1 + int(rng() % 3);
        for (int i = 0; i < n; ++i) {
            int ei = int(rng() % entities), ai = int(rng() % 2), v = 1 + int(rng() % 4);
            int kind = int(rng() % 10);
            int from = int(rng() % (N + 1));
            int to = rng() % 3 == 0 ? from + 1 + int(rng() % (N - from + 1)) : -1;  // -1: open
            bool given = rng() % 4 != 0;
            if (!given) from = tx_time, to = -1;
            std::string opts;
            if (given) opts = " {:valid-from " + at(from) + (to < 0 ? "" : " :valid-to " + at(to)) + "}";
            auto in = [&](int t) { return t >= from && (to < 0 || t < to); };
            auto& line = next[ei][ai];
            if (kind < 5 || (kind < 7 && ai == 1)) {  // add
                if (ai == 0 && !card_one_adds.insert({ei, ai}).second) continue;
                text += "[:db/add \"" + e(ei) + "\" " + attrs[ai] + " " + std::to_string(v) + opts + "]";
                for (int t = 0; t <= N; ++t)
                    if (in(t)) {
                        if (ai == 0) line[t].clear();
                        line[t].insert(v);
                    }
            } else if (kind < 7) {  // cas on the cardinality-one attribute
                if (!card_one_adds.insert({ei, ai}).second) continue;
                const auto& now = line[std::min(from, N)];
                int old = now.empty() ? 0 : *now.begin();
                if (rng() % 4 == 0) old = int(rng() % 5);  // sometimes wrong
                if (old != (now.empty() ? 0 : *now.begin())) expect_cas_failure = true;
                text += "[:db/cas \"" + e(ei) + "\" :h/one " + (old == 0 ? "nil" : std::to_string(old)) +
                        " " + std::to_string(v) + (given ? opts : "") + "]";
                for (int t = 0; t <= N; ++t)
                    if (in(t)) line[t] = {v};
            } else if (kind < 9) {  // retract one value, or every value
                bool all = rng() % 3 == 0;
                text += "[:db/retract \"" + e(ei) + "\" " + attrs[ai] +
                        (all ? " nil" : " " + std::to_string(v)) +
                        (given ? opts
                         : all ? " {:valid-from " + at(from) + "}"
                               : "") +
                        "]";
                for (int t = 0; t <= N; ++t)
                    if (in(t)) {
                        if (all)
                            line[t].clear();
                        else
                            line[t].erase(v);
                    }
            } else {
                text += "[:db/retractEntity \"" + e(ei) + "\"" + opts + "]";
                for (auto& l : next[ei])
                    for (int t = 0; t <= N; ++t)
                        if (in(t)) l[t].clear();
            }
        }
        text += "]";
        auto r = plan(store, text, options(sec(tx_time)));
        INFO("tx: " << text);
        if (expect_cas_failure) {
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code == "PX001");
            ++cas_failures;
            return;
        }
        if (!r.ok()) INFO("error: " << r.error().code << " " << r.error().message);
        REQUIRE(r.ok());
        store.commit(r.value());
        ++committed;
        model.push_back(std::move(next));
    }
};

}  // namespace

TEST_CASE("random histories: the log means what the operations said", "[fact][timeline][property]") {
    for (uint32_t seed = 1; seed <= 60; ++seed) {
        History h(seed);
        INFO("seed " << seed);
        for (int64_t as_of = 0; as_of <= h.store.last_tx; ++as_of) {
            for (int ei = 0; ei < History::entities; ++ei) {
                for (int ai = 0; ai < 2; ++ai) {
                    for (int t = 0; t <= History::N; ++t) {
                        std::vector<std::string> want;
                        for (int v : h.model[size_t(as_of)][ei][ai][t]) want.push_back(std::to_string(v));
                        INFO("as of tx" << as_of << " " << History::e(ei) << " " << h.attrs[ai] << " at "
                                        << t);
                        CHECK(values_at(h.store, History::e(ei), h.attrs[ai], as_of, History::sec(t)) ==
                              want);
                    }
                }
            }
        }
    }
}

TEST_CASE("random histories: early stops agree with a full replay", "[fact][timeline][property]") {
    size_t stopped_early = 0, reads = 0;
    for (uint32_t seed = 1; seed <= 60; ++seed) {
        History h(1000 + seed);
        std::mt19937 rng(seed);
        INFO("seed " << seed);
        for (uint32_t shuffle : {0u, seed}) {
            h.store.shuffle_seed = shuffle;
            for (int64_t as_of = 0; as_of <= h.store.last_tx; ++as_of) {
                for (int ei = 0; ei < History::entities; ++ei) {
                    for (int ai = 0; ai < 2; ++ai) {
                        const std::string e = History::e(ei), a = h.attrs[ai];
                        const bool many = ai == 1;
                        std::vector<Piece> live = replay(h.store, e, a, as_of);
                        size_t total = 0;
                        h.store.scan_as_of(e, a, as_of, [&](const StoredDatom&) { return ++total, true; });
                        for (int k = 0; k < 4; ++k) {
                            int from = int(rng() % (History::N + 1));
                            Interval region{History::sec(from),
                                            rng() % 2 ? open_end : History::sec(from + 1 + int(rng() % 3))};
                            INFO("as of tx" << as_of << " " << e << " " << a << " region from " << from);
                            LivePieces lp(region, many);
                            size_t fed = 0;
                            h.store.scan_as_of(e, a, as_of, [&](const StoredDatom& d) {
                                bool more = lp.feed(d);
                                fed += more;
                                return more;
                            });
                            std::vector<Piece> want;
                            for (const auto& p : live)
                                if (p.valid.overlaps(region)) want.push_back(p);
                            CHECK(show(lp.pieces()) == show(want));
                            ++reads;
                            stopped_early += fed < total;
                            if (many) CHECK(fed == total);

                            Micros at = History::sec(int(rng() % (History::N + 1))) + Micros(rng() % 2);
                            ValuesAt va(at, many);
                            h.store.scan_as_of(e, a, as_of, [&](const StoredDatom& d) { return va.feed(d); });
                            std::vector<Piece> here;
                            for (const auto& p : live)
                                if (p.valid.contains(at)) here.push_back(p);
                            CHECK(show(va.values()) == show(here));
                        }
                    }
                }
            }
        }
    }
    // The property is only interesting if the readers did stop early, often.
    CHECK(stopped_early > reads / 10);
}

TEST_CASE("random histories are not trivial", "[fact][timeline][property]") {
    int committed = 0, cas_failures = 0;
    size_t datoms = 0;
    for (uint32_t seed = 1; seed <= 60; ++seed) {
        History h(seed);
        committed += h.committed;
        cas_failures += h.cas_failures;
        datoms += h.store.log.size();
    }
    CHECK(committed > 1000);
    CHECK(cas_failures > 10);
    CHECK(datoms > 3000);
}
