// plan_transaction over the in-memory store: what each operation writes (exactly the diff
// of live pieces), the errors, unique values and upserts, and the lock protocol.
#include "memory_store.hpp"

using namespace fact_test;
using fact::Unique;
using fact::ValueType;

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// The datoms a transaction wrote, as a sorted list (retractions sort before assertions).
std::vector<std::string> tx(MemoryStore& s, const std::string& text, Micros tx_time = 0) {
    return sorted(transact(s, text, tx_time));
}

std::vector<std::string> tx(MemoryStore& s, const std::string& text, const fact::PlanOptions& o) {
    return sorted(transact(s, text, o));
}

using V = std::vector<std::string>;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("seed example: WACC corrections on both time axes", "[fact][planner]") {
    MemoryStore s;
    s.define(":project/wacc", ValueType::double_);
    const std::string a = ":project/wacc";

    int64_t tx1 = 1, tx2 = 2, tx3 = 3, tx4 = 4;
    CHECK(tx(s, R"([[:db/add "p1" :project/wacc 0.087]])", t("2026-04-14")) ==
          V{"+ p1 :project/wacc 0.087 2026-04-14..open"});
    CHECK(tx(s, R"([[:db/add "p1" :project/wacc 0.091 {:valid-from )" + inst("2026-04-19") + "}]]",
             t("2026-04-19")) == V{"+ p1 :project/wacc 0.087 2026-04-14..2026-04-19",
                                   "+ p1 :project/wacc 0.091 2026-04-19..open",
                                   "- p1 :project/wacc 0.087 2026-04-14..open"});
    CHECK(value_at(s, "p1", a, tx2, t("2026-04-15")) == "0.087");
    CHECK(value_at(s, "p1", a, tx2, t("2026-04-20")) == "0.091");
    CHECK(value_at(s, "p1", a, tx1, t("2026-04-20")) == "0.087");

    // A bounded correction inside the old piece: it is cut into three.
    CHECK(tx(s,
             R"([[:db/add "p1" :project/wacc 0.085 {:valid-from )" + inst("2026-04-15") + " :valid-to " +
                 inst("2026-04-17") + "}]]",
             t("2026-04-21")) == V{"+ p1 :project/wacc 0.085 2026-04-15..2026-04-17",
                                   "+ p1 :project/wacc 0.087 2026-04-14..2026-04-15",
                                   "+ p1 :project/wacc 0.087 2026-04-17..2026-04-19",
                                   "- p1 :project/wacc 0.087 2026-04-14..2026-04-19"});
    // A backdated open-ended correction replaces every piece it overlaps.
    CHECK(tx(s, R"([[:db/add "p1" :project/wacc 0.080 {:valid-from )" + inst("2026-04-10") + "}]]",
             t("2026-04-22")) ==
          V{"+ p1 :project/wacc 0.08 2026-04-10..open", "- p1 :project/wacc 0.085 2026-04-15..2026-04-17",
            "- p1 :project/wacc 0.087 2026-04-14..2026-04-15",
            "- p1 :project/wacc 0.087 2026-04-17..2026-04-19", "- p1 :project/wacc 0.091 2026-04-19..open"});

    // What was known at each tx never changes.
    const std::vector<std::string> days = {"2026-04-09", "2026-04-10", "2026-04-12", "2026-04-14",
                                           "2026-04-15", "2026-04-16", "2026-04-17", "2026-04-18",
                                           "2026-04-19", "2026-04-20"};
    const std::map<int64_t, V> expected = {
        {tx1, {"nil", "nil", "nil", "0.087", "0.087", "0.087", "0.087", "0.087", "0.087", "0.087"}},
        {tx2, {"nil", "nil", "nil", "0.087", "0.087", "0.087", "0.087", "0.087", "0.091", "0.091"}},
        {tx3, {"nil", "nil", "nil", "0.087", "0.085", "0.085", "0.087", "0.087", "0.091", "0.091"}},
        {tx4, {"nil", "0.08", "0.08", "0.08", "0.08", "0.08", "0.08", "0.08", "0.08", "0.08"}},
    };
    for (const auto& [as_of, row] : expected) {
        for (size_t i = 0; i < days.size(); ++i) {
            INFO("as of tx" << as_of << " at " << days[i]);
            CHECK(value_at(s, "p1", a, as_of, t(days[i])) == row[i]);
            s.shuffle_seed = 7;  // any order inside a tx gives the same answer
            CHECK(value_at(s, "p1", a, as_of, t(days[i])) == row[i]);
            s.shuffle_seed = 0;
        }
    }
    CHECK(value_at(s, "p1", a, 0, t("2026-04-20")) == "nil");
}

TEST_CASE("cardinality one: companion retraction, no-op elimination, merging", "[fact][planner]") {
    MemoryStore s;
    s.define(":p/n", ValueType::integer);
    CHECK(tx(s, R"([[:db/add "e" :p/n 1]])", 100) == V{"+ e :p/n 1 1970-01-01T00:00:00.000100Z..open"});
    // The same value again, over an interval the live piece covers: nothing is written.
    CHECK(tx(s, R"([[:db/add "e" :p/n 1]])", 200).empty());
    CHECK(tx(s, R"([{:db/id "e" :p/n 1}])", 300).empty());
    // A new value from 500 on: the old piece is retracted and its earlier part re-asserted.
    CHECK(tx(s, R"([[:db/add "e" :p/n 2]])", 500) ==
          V{"+ e :p/n 1 1970-01-01T00:00:00.000100Z..1970-01-01T00:00:00.000500Z",
            "+ e :p/n 2 1970-01-01T00:00:00.000500Z..open", "- e :p/n 1 1970-01-01T00:00:00.000100Z..open"});

    SECTION("a value overlapping its own pieces merges with them into their hull") {
        MemoryStore m;
        m.define(":p/n", ValueType::integer);
        tx(m, R"([[:db/add "e" :p/n 7 {:valid-from )" + inst("2026-01-01") + " :valid-to " +
                  inst("2026-01-05") + "}]]");
        tx(m, R"([[:db/add "e" :p/n 7 {:valid-from )" + inst("2026-01-10") + " :valid-to " +
                  inst("2026-01-20") + "}]]");
        CHECK(tx(m, R"([[:db/add "e" :p/n 7 {:valid-from )" + inst("2026-01-03") + " :valid-to " +
                        inst("2026-01-12") + "}]]") == V{"+ e :p/n 7 2026-01-01..2026-01-20",
                                                         "- e :p/n 7 2026-01-01..2026-01-05",
                                                         "- e :p/n 7 2026-01-10..2026-01-20"});
        // Covered by one piece: no change.
        CHECK(tx(m, R"([[:db/add "e" :p/n 7 {:valid-from )" + inst("2026-01-02") + " :valid-to " +
                        inst("2026-01-19") + "}]]")
                  .empty());
        // Adjacent is not overlapping: no merge.
        CHECK(tx(m, R"([[:db/add "e" :p/n 7 {:valid-from )" + inst("2026-01-20") + " :valid-to " +
                        inst("2026-01-25") + "}]]") == V{"+ e :p/n 7 2026-01-20..2026-01-25"});
        // Another value in the middle splits the piece; both outer parts come back.
        CHECK(tx(m, R"([[:db/add "e" :p/n 8 {:valid-from )" + inst("2026-01-05") + " :valid-to " +
                        inst("2026-01-06") + "}]]") ==
              V{"+ e :p/n 7 2026-01-01..2026-01-05", "+ e :p/n 7 2026-01-06..2026-01-20",
                "+ e :p/n 8 2026-01-05..2026-01-06", "- e :p/n 7 2026-01-01..2026-01-20"});
        // Re-adding 7 over the hole: the three pieces of 7 and 8 go, one piece of 7 comes.
        CHECK(tx(m, R"([[:db/add "e" :p/n 7 {:valid-from )" + inst("2026-01-04") + " :valid-to " +
                        inst("2026-01-07") + "}]]") ==
              V{"+ e :p/n 7 2026-01-01..2026-01-20", "- e :p/n 7 2026-01-01..2026-01-05",
                "- e :p/n 7 2026-01-06..2026-01-20", "- e :p/n 8 2026-01-05..2026-01-06"});
    }
}

TEST_CASE("datom order and value payloads", "[fact][planner]") {
    MemoryStore s;
    s.define(":p/n", ValueType::integer);
    transact(s, R"([[:db/add "e" :p/n 1] [:db/add "d" :p/n 1]])", 0);
    auto r =
        plan(s, R"([[:db/add "e" :p/n 2 {:valid-from #inst "1970-01-01T00:00:01Z"}] [:db/add "d" :p/n 3]])",
             options(0));
    REQUIRE(r.ok());
    const auto& ds = r.value();
    REQUIRE(ds.size() == 5);
    // Sorted by entity, attribute; retractions before assertions within each.
    CHECK(ds[0].e == "d");
    CHECK_FALSE(ds[0].is_assert);
    CHECK(ds[1].e == "d");
    CHECK(ds[1].is_assert);
    CHECK(ds[2].e == "e");
    CHECK_FALSE(ds[2].is_assert);
    CHECK(ds[3].is_assert);
    CHECK(ds[4].is_assert);
    for (const auto& d : ds) {
        if (!d.is_assert) CHECK(d.value.empty());
        // Re-assertions of a stored value carry no payload; new values do.
        if (d.is_assert) CHECK(d.value.empty() == (d.vhash == vhash_of("1")));
    }
}

TEST_CASE("cardinality many", "[fact][planner]") {
    MemoryStore s;
    s.define(":item/tag", ValueType::keyword, true);
    CHECK(tx(s, R"([{:db/id "i" :item/tag [:a :b]}])") ==
          V{"+ i :item/tag :a 1970-01-01..open", "+ i :item/tag :b 1970-01-01..open"});
    // Other values are untouched; an existing one is a no-op.
    CHECK(tx(s, R"([[:db/add "i" :item/tag :c] [:db/add "i" :item/tag :a]])") ==
          V{"+ i :item/tag :c 1970-01-01..open"});
    CHECK(values_at(s, "i", ":item/tag", 2, 5) == V{":a", ":b", ":c"});
    CHECK(values_at(s, "i", ":item/tag", 1, 5) == V{":a", ":b"});
    // A set or list in an entity map means its elements too; a vector op value does not.
    CHECK(tx(s, R"([{:db/id "i" :item/tag #{:d :a}}])") == V{"+ i :item/tag :d 1970-01-01..open"});
    CHECK(transact_error(s, R"([[:db/add "i" :item/tag [:x]]])").code == "22023");
    // Retract one value over part of time.
    CHECK(tx(s, R"([[:db/retract "i" :item/tag :a {:valid-from #inst "1970-01-01T00:00:01Z"}]])") ==
          V{"+ i :item/tag :a 1970-01-01..1970-01-01T00:00:01.000Z", "- i :item/tag :a 1970-01-01..open"});
    // Two values over overlapping intervals in one tx are fine for cardinality many.
    CHECK(tx(s, R"([[:db/add "j" :item/tag :x] [:db/add "j" :item/tag :y]])").size() == 2);
    // Retract without a value: every value.
    CHECK(tx(s, R"([[:db/retract "i" :item/tag]])") ==
          V{"- i :item/tag :a 1970-01-01..1970-01-01T00:00:01.000Z", "- i :item/tag :b 1970-01-01..open",
            "- i :item/tag :c 1970-01-01..open", "- i :item/tag :d 1970-01-01..open"});
    CHECK(values_at(s, "i", ":item/tag", s.last_tx, 5).empty());
    // An empty collection adds nothing.
    CHECK(tx(s, R"([{:db/id "i" :item/tag []}])").empty());
}

TEST_CASE("retract", "[fact][planner]") {
    MemoryStore s;
    s.define(":p/n", ValueType::integer);
    tx(s, R"([[:db/add "e" :p/n 1]])", 0);
    // Not there: no-op.
    CHECK(tx(s, R"([[:db/retract "e" :p/n 2]])", 10).empty());
    CHECK(tx(s, R"([[:db/retract "x" :p/n 2]])", 10).empty());
    // From the transaction time on (the default interval).
    CHECK(tx(s, R"([[:db/retract "e" :p/n 1]])", 10) ==
          V{"+ e :p/n 1 1970-01-01..1970-01-01T00:00:00.000010Z", "- e :p/n 1 1970-01-01..open"});
    // nil as the value with options: every value over that interval.
    CHECK(tx(s, R"([[:db/retract "e" :p/n nil {:valid-from #inst "1970-01-01T00:00:00.000005Z"}]])") ==
          V{"+ e :p/n 1 1970-01-01..1970-01-01T00:00:00.000005Z",
            "- e :p/n 1 1970-01-01..1970-01-01T00:00:00.000010Z"});
    // transact's valid_from argument is the default interval start.
    fact::PlanOptions o = options(100);
    o.valid_from = 2;
    CHECK(tx(s, R"([[:db/retract "e" :p/n]])", o) == V{"+ e :p/n 1 1970-01-01..1970-01-01T00:00:00.000002Z",
                                                       "- e :p/n 1 1970-01-01..1970-01-01T00:00:00.000005Z"});
}

TEST_CASE("operations apply in order inside one transaction", "[fact][planner]") {
    MemoryStore s;
    s.define(":p/n", ValueType::integer);
    s.define(":p/tags", ValueType::keyword, true);
    // Added then retracted: nothing is written.
    CHECK(tx(s, R"([[:db/add "e" :p/n 1] [:db/retract "e" :p/n 1]])").empty());
    // Two different values of a cardinality-one attribute overlapping: 21000.
    auto err = transact_error(s, R"([[:db/add "e" :p/n 1] [:db/add "e" :p/n 2]])");
    CHECK(err.code == "21000");
    CHECK(has(err.message, "tx_data[1]"));
    CHECK(has(err.message, ":p/n"));
    CHECK(transact_error(
              s, R"([{:db/id "e" :p/n 1} [:db/add "e" :p/n 2 {:valid-from #inst "2026-01-01T00:00:00Z"}]])")
              .code == "21000");
    // Disjoint intervals are fine, and so is the same value twice.
    CHECK(tx(s, R"([[:db/add "e" :p/n 1 {:valid-to #inst "1970-01-01T00:00:01Z"}]
                    [:db/add "e" :p/n 2 {:valid-from #inst "1970-01-01T00:00:01Z"}]
                    [:db/add "e" :p/n 2 {:valid-from #inst "1970-01-01T00:00:01Z"}]])") ==
          V{"+ e :p/n 1 1970-01-01..1970-01-01T00:00:01.000Z", "+ e :p/n 2 1970-01-01T00:00:01.000Z..open"});
    // A retraction in between ends the first assertion's claim: sequential semantics.
    CHECK(tx(s, R"([[:db/add "f" :p/n 1] [:db/retract "f" :p/n 1] [:db/add "f" :p/n 2]])") ==
          V{"+ f :p/n 2 1970-01-01..open"});
    // The same entity under different attributes, and many values of a many attribute.
    CHECK(tx(s, R"([{:db/id "g" :p/n 5 :p/tags [:a :b]}])").size() == 3);
}

TEST_CASE("cas", "[fact][planner]") {
    MemoryStore s;
    s.define(":acct/balance", ValueType::integer);
    s.define(":acct/tags", ValueType::keyword, true);
    // nil: no value there yet.
    CHECK(tx(s, R"([[:db/cas "a" :acct/balance nil 100]])") == V{"+ a :acct/balance 100 1970-01-01..open"});
    CHECK(tx(s, R"([[:db/cas "a" :acct/balance 100 90]])", 10) ==
          V{"+ a :acct/balance 100 1970-01-01..1970-01-01T00:00:00.000010Z",
            "+ a :acct/balance 90 1970-01-01T00:00:00.000010Z..open",
            "- a :acct/balance 100 1970-01-01..open"});

    auto err = transact_error(s, R"([[:db/add "b" :acct/balance 1] [:db/cas "a" :acct/balance 100 80]])",
                              options(20));
    CHECK(err.code == "PX001");
    CHECK(has(err.message, "tx_data[1]"));
    CHECK(has(err.message, "\"a\""));
    CHECK(has(err.message, ":acct/balance"));
    CHECK(has(err.message, "expected 100"));
    CHECK(has(err.message, "found 90"));  // printed through StateSource::load_value

    err = transact_error(s, R"([[:db/cas "a" :acct/balance nil 1]])", options(20));
    CHECK(err.code == "PX001");
    CHECK(has(err.message, "expected no value, found 90"));
    err = transact_error(s, R"([[:db/cas "new" :acct/balance 5 1]])", options(20));
    CHECK(has(err.message, "expected 5, found no value"));
    // At the instant of its valid-from: before 10 the balance was 100.
    CHECK(tx(s, R"([[:db/cas "a" :acct/balance 100 95 {:valid-from #inst "1970-01-01T00:00:00.000005Z"
                                                        :valid-to #inst "1970-01-01T00:00:00.000010Z"}]])") ==
          V{"+ a :acct/balance 100 1970-01-01..1970-01-01T00:00:00.000005Z",
            "+ a :acct/balance 95 1970-01-01T00:00:00.000005Z..1970-01-01T00:00:00.000010Z",
            "- a :acct/balance 100 1970-01-01..1970-01-01T00:00:00.000010Z"});
    // Sees the earlier operations of its own transaction (found is printed from the tx).
    CHECK(tx(s, R"([[:db/add "c" :acct/balance 7] [:db/cas "c" :acct/balance 7 8]])") ==
          V{"+ c :acct/balance 8 1970-01-01..open"});
    err = transact_error(s, R"([[:db/add "d" :acct/balance 7] [:db/cas "d" :acct/balance 6 8]])");
    CHECK(has(err.message, "found 7"));
    // Cardinality many: 22023.
    err = transact_error(s, R"([[:db/cas "a" :acct/tags :x :y]])");
    CHECK(err.code == "22023");
    // A value with a different type than the attribute: 22023, naming the role.
    err = transact_error(s, R"([[:db/cas "a" :acct/balance "x" 1]])");
    CHECK(err.code == "22023");
    CHECK(has(err.message, "old value"));
}

TEST_CASE("cas failure without the value's bytes prints its hash", "[fact][planner]") {
    struct Forgetful : MemoryStore {
        bool load_value(const Digest&, std::string&) override { return false; }
    } s;
    s.define(":p/n", ValueType::integer);
    transact(s, R"([[:db/add "a" :p/n 1]])", 0);
    auto err = transact_error(s, R"([[:db/cas "a" :p/n 2 3]])");
    CHECK(err.code == "PX001");
    CHECK(has(err.message,
              "found the value with hash " + persistence::hash::to_hex(vhash_of("1")).substr(0, 16)));
}

TEST_CASE("retractEntity", "[fact][planner]") {
    MemoryStore s;
    s.define(":p/name", ValueType::string);
    s.define(":p/tags", ValueType::keyword, true);
    tx(s, R"([{:db/id "e" :p/name "E" :p/tags [:a :b]} {:db/id "f" :p/name "F"}])");
    tx(s, R"([[:db/add "e" :p/name "E2" {:valid-from #inst "1970-01-01T00:00:01Z"}]])");
    s.events.clear();
    s.lock_calls.clear();
    CHECK(tx(s, R"([[:db/retractEntity "e" {:valid-from #inst "1970-01-01T00:00:02Z"}]])") ==
          V{"+ e :p/name \"E2\" 1970-01-01T00:00:01.000Z..1970-01-01T00:00:02.000Z",
            "+ e :p/tags :a 1970-01-01..1970-01-01T00:00:02.000Z",
            "+ e :p/tags :b 1970-01-01..1970-01-01T00:00:02.000Z",
            "- e :p/name \"E2\" 1970-01-01T00:00:01.000Z..open", "- e :p/tags :a 1970-01-01..open",
            "- e :p/tags :b 1970-01-01..open"});
    REQUIRE(s.lock_calls.size() == 1);
    CHECK(s.lock_calls[0].size() == 1);
    CHECK(s.lock_calls[0][0].key == fact::lock_key_entity("e"));
    CHECK(s.lock_calls[0][0].exclusive);
    CHECK(s.events == V{"lock", "scan_e e"});
    // Whole: the rest goes; other entities stay.
    CHECK(tx(s, R"([[:db/retractEntity "e"]])", 0).size() == 4);
    CHECK(value_at(s, "f", ":p/name", s.last_tx, 5) == "\"F\"");
    CHECK(value_at(s, "e", ":p/name", s.last_tx, 500000) == "nil");
    CHECK(value_at(s, "e", ":p/name", s.last_tx - 1, 500000) == "\"E\"");
    // Then new facts in the same transaction, on a touched and a new attribute.
    tx(s, R"([{:db/id "g" :p/name "G" :p/tags [:x]}])");
    s.events.clear();
    s.lock_calls.clear();
    CHECK(tx(s, R"([[:db/retractEntity "g"] [:db/add "g" :p/name "G2"] [:db/add "g" :p/other 1]])") ==
          V{"+ g :p/name \"G2\" 1970-01-01..open", "+ g :p/other 1 1970-01-01..open",
            "- g :p/name \"G\" 1970-01-01..open", "- g :p/tags :x 1970-01-01..open"});
    REQUIRE(s.lock_calls.size() == 1);
    std::vector<fact::LockRequest> want = {{fact::lock_key_ea("g", ":p/name"), true},
                                           {fact::lock_key_ea("g", ":p/other"), true},
                                           {fact::lock_key_entity("g"), true}};
    std::sort(want.begin(), want.end(), [](const auto& x, const auto& y) { return x.key < y.key; });
    REQUIRE(s.lock_calls[0].size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        CHECK(s.lock_calls[0][i].key == want[i].key);
        CHECK(s.lock_calls[0][i].exclusive == want[i].exclusive);
    }
    // An entity without datoms: nothing.
    CHECK(tx(s, R"([[:db/retractEntity "nobody"]])").empty());
}

TEST_CASE("unique identity: upsert and alias", "[fact][planner]") {
    MemoryStore s;
    s.define(":person/email", ValueType::string, false, Unique::identity);
    s.define(":person/name", ValueType::string);
    s.define(":person/nick", ValueType::string);
    tx(s, R"([{:db/id "p1" :person/email "a@x" :person/name "A"}])");

    // A new id naming p1's email is p1, for every operation of the transaction.
    s.events.clear();
    s.lock_calls.clear();
    CHECK(
        tx(s,
           R"([{:db/id "tmp" :person/email "a@x" :person/name "Ann"} [:db/add "tmp" :person/nick "an"]])") ==
        V{"+ p1 :person/name \"Ann\" 1970-01-01..open", "+ p1 :person/nick \"an\" 1970-01-01..open",
          "- p1 :person/name \"A\" 1970-01-01..open"});
    // U locks first (one call), then the lookups, then the A/E locks, then the reads.
    REQUIRE(s.lock_calls.size() == 2);
    REQUIRE(s.lock_calls[0].size() == 1);
    CHECK(s.lock_calls[0][0].key == fact::lock_key_unique(":person/email", vhash_of("\"a@x\"")));
    CHECK(s.lock_calls[0][0].exclusive);
    REQUIRE(s.events.size() >= 4);
    CHECK(s.events[0] == "lock");
    CHECK(s.events[1] == "scan_av :person/email");
    CHECK(s.events[2] == "exists tmp");
    CHECK(s.events[3] == "lock");
    for (const auto& l : s.lock_calls[1]) {
        CHECK(l.key != fact::lock_key_entity("tmp"));
        CHECK(l.key != fact::lock_key_ea("tmp", ":person/nick"));
    }
    bool p1_nick = false;
    for (const auto& l : s.lock_calls[1]) p1_nick |= l.key == fact::lock_key_ea("p1", ":person/nick");
    CHECK(p1_nick);

    // An existing entity is never merged: 23505 naming both.
    tx(s, R"([{:db/id "p2" :person/name "B"}])");
    auto err = transact_error(s, R"([[:db/add "p2" :person/email "a@x"]])");
    CHECK(err.code == "23505");
    CHECK(has(err.message, "\"p1\""));
    CHECK(has(err.message, "\"p2\""));
    CHECK(has(err.message, ":person/email"));
    CHECK(has(err.message, "\"a@x\""));
    // ... unless the value moves in the same transaction.
    CHECK(tx(s, R"([[:db/retract "p1" :person/email "a@x"] [:db/add "p2" :person/email "a@x"]])") ==
          V{"+ p2 :person/email \"a@x\" 1970-01-01..open", "- p1 :person/email \"a@x\" 1970-01-01..open"});
    // Two new ids with a new value: 23505 (they are not merged with each other).
    err = transact_error(s, R"([{:db/id "n1" :person/email "z@x"} {:db/id "n2" :person/email "z@x"}])");
    CHECK(err.code == "23505");
    CHECK(has(err.message, "\"n1\""));
    CHECK(has(err.message, "\"n2\""));
    // Two new ids naming the same holder both become it.
    CHECK(
        tx(s, R"([{:db/id "n1" :person/email "a@x" :person/name "N1"} {:db/id "n2" :person/email "a@x"}])") ==
        V{"+ p2 :person/name \"N1\" 1970-01-01..open", "- p2 :person/name \"B\" 1970-01-01..open"});
}

TEST_CASE("unique identity over valid time", "[fact][planner]") {
    MemoryStore s;
    s.define(":person/email", ValueType::string, false, Unique::identity);
    s.define(":person/name", ValueType::string);
    // p1 had the address until 100; from then on another entity may have it.
    tx(s, R"([[:db/add "p1" :person/email "a@x" {:valid-to #inst "1970-01-01T00:00:00.000100Z"}]])");
    CHECK(
        tx(s, R"([{:db/id "p2" :person/email "a@x" :db/valid-from #inst "1970-01-01T00:00:00.000100Z"}])") ==
        V{"+ p2 :person/email \"a@x\" 1970-01-01T00:00:00.000100Z..open"});
    // A new id whose interval overlaps both holders cannot be merged into one.
    auto err = transact_error(
        s, R"([{:db/id "n" :person/email "a@x" :db/valid-from #inst "1970-01-01T00:00:00.000050Z"}])");
    CHECK(err.code == "23505");
    // One new id whose identity values name two different entities.
    s.define(":person/ssn", ValueType::string, false, Unique::identity);
    tx(s, R"([[:db/add "p3" :person/ssn "123"]])");
    err = transact_error(
        s,
        R"([{:db/id "n" :person/email "a@x" :person/ssn "123" :db/valid-from #inst "1970-01-01T00:00:00.000200Z"}])");
    CHECK(err.code == "23505");
    CHECK(has(err.message, "\"p2\""));
    CHECK(has(err.message, "\"p3\""));
}

TEST_CASE("unique value", "[fact][planner]") {
    MemoryStore s;
    s.define(":user/handle", ValueType::string, false, Unique::value);
    tx(s, R"([[:db/add "u1" :user/handle "neo"]])");
    auto err = transact_error(s, R"([[:db/add "u2" :user/handle "neo"]])");
    CHECK(err.code == "23505");
    CHECK(has(err.message, "\"u1\""));
    CHECK(has(err.message, "\"u2\""));
    CHECK(has(err.message, ":user/handle"));
    CHECK(has(err.message, "\"neo\""));
    // A new id is not merged for a unique value (only identity upserts).
    CHECK(transact_error(s, R"([[:db/add "new" :user/handle "neo"]])").code == "23505");
    // The holder re-asserting is a no-op.
    CHECK(tx(s, R"([[:db/add "u1" :user/handle "neo"]])").empty());
    // Two entities in one transaction.
    CHECK(transact_error(s, R"([[:db/add "u3" :user/handle "x"] [:db/add "u4" :user/handle "x"]])").code ==
          "23505");
    // Disjoint valid times are fine.
    CHECK(tx(s, R"([[:db/add "u3" :user/handle "y" {:valid-to #inst "1970-01-01T00:00:01Z"}]
                    [:db/add "u4" :user/handle "y" {:valid-from #inst "1970-01-01T00:00:01Z"}]])")
              .size() == 2);
    // After u1 gives it up (from 5 on), u2 may take it from 5 on, not before.
    tx(s, R"([[:db/retract "u1" :user/handle "neo"]])", 5);
    CHECK(transact_error(
              s, R"([[:db/add "u2" :user/handle "neo" {:valid-from #inst "1970-01-01T00:00:00.000004Z"}]])")
              .code == "23505");
    CHECK(tx(s, R"([[:db/add "u2" :user/handle "neo"]])", 5).size() == 1);
}

TEST_CASE("strict schema and undefined attributes", "[fact][planner]") {
    MemoryStore s;
    fact::PlanOptions strict = options(0);
    strict.strict_schema = true;
    auto err = transact_error(s, R"([[:db/add "e" :p/undefined 1]])", strict);
    CHECK(err.code == "42704");
    CHECK(has(err.message, ":p/undefined"));
    CHECK(has(err.hint, "persistence.define_attribute"));
    CHECK(transact_error(s, R"([{:db/id "e" :p/undefined 1}])", strict).code == "42704");
    // Not strict: any type, cardinality one, not unique.
    CHECK(tx(s, R"([[:db/add "e" :p/undefined "x"]])").size() == 1);
    CHECK(tx(s, R"([[:db/add "e" :p/undefined [1 2]]])").size() == 2);
    CHECK(transact_error(s, R"([[:db/add "e" :p/undefined 1] [:db/add "e" :p/undefined 2]])").code ==
          "21000");
    CHECK(tx(s, R"([[:db/add "f" :p/undefined [1 2]]])").size() == 1);  // not unique
    CHECK(tx(s, R"([{:db/id "g" :p/undefined [1 2]}])") == V{"+ g :p/undefined [1 2] 1970-01-01..open"});
}

TEST_CASE("value types (EDN)", "[fact][planner]") {
    MemoryStore s;
    s.define(":t/string", ValueType::string);
    s.define(":t/int", ValueType::integer);
    s.define(":t/double", ValueType::double_);
    s.define(":t/decimal", ValueType::decimal);
    s.define(":t/bool", ValueType::boolean);
    s.define(":t/kw", ValueType::keyword);
    s.define(":t/inst", ValueType::instant);
    s.define(":t/uuid", ValueType::uuid);
    s.define(":t/ref", ValueType::ref);
    s.define(":t/edn", ValueType::edn);
    s.define(":t/any", ValueType::any);
    const std::vector<std::pair<std::string, std::vector<std::string>>> good = {
        {":t/string", {"\"s\"", "\"\""}},
        {":t/int", {"1", "-5", "123456789012345678901234567890N"}},
        {":t/double", {"1.5", "##NaN"}},
        {":t/decimal", {"1.50M"}},
        {":t/bool", {"true", "false"}},
        {":t/kw", {":k", ":a/b"}},
        {":t/inst", {"#inst \"2026-01-01T00:00:00Z\""}},
        {":t/uuid", {"#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""}},
        {":t/ref", {"\"p1\""}},
        {":t/edn", {"[1]", "(1)", "{:a 1}", "#{1}", "#my/tag 1"}},
        {":t/any", {"1", "\"s\"", ":k", "[1]", "#my/tag 1"}},
    };
    const std::vector<std::pair<std::string, std::vector<std::string>>> bad = {
        {":t/string", {"1", ":s", "\\c"}},
        {":t/int", {"1.0", "1M", "\"1\""}},
        {":t/double", {"1", "1.5M", "\"1.5\""}},
        {":t/decimal", {"1", "1.5"}},
        {":t/bool", {"\"true\"", "1"}},
        {":t/kw", {"\"k\"", "k"}},
        {":t/inst", {"\"2026-01-01T00:00:00Z\"", "1"}},
        {":t/uuid", {"\"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""}},
        {":t/ref", {"1", ":p1", "\"\""}},
        {":t/edn", {"1", "\"s\"", ":k"}},
    };
    int n = 0;
    for (const auto& [a, vs] : good) {
        for (const auto& v : vs) {
            INFO(a << " " << v);
            std::string e = "g" + std::to_string(n++);
            CHECK(tx(s, "[[:db/add \"" + e + "\" " + a + " " + v + "]]").size() == 1);
        }
    }
    for (const auto& [a, vs] : bad) {
        for (const auto& v : vs) {
            INFO(a << " " << v);
            auto err = transact_error(s, "[[:db/add \"bad\" " + a + " " + v + "]]");
            CHECK(err.code == "22023");
            CHECK(has(err.message, "tx_data[0]"));
            CHECK(has(err.message, "\"bad\""));
            CHECK(has(err.message, a));
            CHECK(has(err.message, edn::to_string(vref(rd(v)))));
            CHECK(has(err.message, fact::value_type_name(s.schema[a].type)));
        }
    }
    // nil is not a value.
    CHECK(transact_error(s, R"([[:db/add "e" :t/any nil]])").code == "22023");
    CHECK(transact_error(s, R"([[:db/cas "e" :t/any nil nil]])").code == "22023");
    // A long value is cut in the message.
    auto err = transact_error(s, "[[:db/add \"e\" :t/int \"" + std::string(1000, 'x') + "\"]]");
    CHECK(err.message.size() < 400);
}

TEST_CASE("ref values", "[fact][planner]") {
    MemoryStore s;
    s.define(":order/customer", ValueType::ref);
    auto r = plan(s, R"([[:db/add "o1" :order/customer "p1"]
                         [:db/add "o2" :order/customer #uuid "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6"]])",
                  options(0));
    REQUIRE(r.ok());
    REQUIRE(r.value().size() == 2);
    CHECK(r.value()[0].ref == "p1");
    CHECK(r.value()[0].vhash == vhash_of("\"p1\""));
    CHECK(r.value()[1].ref == "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    CHECK(r.value()[1].vhash == vhash_of("\"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""));
    s.commit(r.value());
    // Retractions carry the ref of the piece they cancel.
    r = plan(s, R"([[:db/add "o1" :order/customer "p2"]])", options(0));
    REQUIRE(r.ok());
    REQUIRE(r.value().size() == 2);
    CHECK_FALSE(r.value()[0].is_assert);
    CHECK(r.value()[0].ref == "p1");
    CHECK(r.value()[1].ref == "p2");
    // #uuid entity ids become their lower-case text.
    CHECK(tx(s, R"([[:db/add #uuid "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6" :order/customer "p1"]])") ==
          V{"+ f81d4fae-7dec-11d0-a765-00a0c91e6bf6 :order/customer \"p1\" 1970-01-01..open"});
}

TEST_CASE("JSON mode conversions", "[fact][planner]") {
    MemoryStore s;
    s.define(":t/kw", ValueType::keyword);
    s.define(":t/inst", ValueType::instant);
    s.define(":t/uuid", ValueType::uuid);
    s.define(":t/double", ValueType::double_);
    s.define(":t/decimal", ValueType::decimal);
    s.define(":t/int", ValueType::integer);
    s.define(":t/any", ValueType::any);
    s.define(":t/tags", ValueType::keyword, true);
    fact::PlanOptions o = options(0);
    o.parse.json = true;
    // As jsonb → edn gives it: strings, integers, decimals, vectors, string-keyed maps.
    CHECK(tx(s,
             R"([["db/add", "e", "t/kw", "ready"], [":db/add", "e", ":t/inst", "2026-04-14T10:00:00+02:00"],
                    ["db/add", "e", "t/uuid", "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6"],
                    ["db/add", "e", "t/double", 1.50M], ["db/add", "f", "t/double", 2],
                    ["db/add", "e", "t/decimal", 2], ["db/add", "e", "t/int", 3], ["db/add", "e", "t/any", 1.5M],
                    {"db/id" "g", "t/kw" ":done", "t/tags" ["a", ":b"],
                     "db/valid-from" "1970-01-01T00:00:01Z"}])",
             o) == V{"+ e :t/any 1.5M 1970-01-01..open", "+ e :t/decimal 2M 1970-01-01..open",
                     "+ e :t/double 1.5 1970-01-01..open",
                     "+ e :t/inst #inst \"2026-04-14T08:00:00.000Z\" 1970-01-01..open",
                     "+ e :t/int 3 1970-01-01..open", "+ e :t/kw :ready 1970-01-01..open",
                     "+ e :t/uuid #uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\" 1970-01-01..open",
                     "+ f :t/double 2.0 1970-01-01..open", "+ g :t/kw :done 1970-01-01T00:00:01.000Z..open",
                     "+ g :t/tags :a 1970-01-01T00:00:01.000Z..open",
                     "+ g :t/tags :b 1970-01-01T00:00:01.000Z..open"});
    // Conversions that fail: 22023.
    for (const char* bad :
         {R"([["db/add", "e", "t/kw", "not a keyword"]])", R"([["db/add", "e", "t/inst", "yesterday"]])",
          R"([["db/add", "e", "t/uuid", "123"]])", R"([["db/add", "e", "t/int", 1.5M]])",
          R"([["db/add", "e", "t/double", "1.5"]])", R"([["db/add", "e", "t/double", 1E+400M]])",
          R"([["db/add", "e", "t/decimal", 1.5]])"}) {
        INFO(bad);
        CHECK(transact_error(s, bad, o).code == "22023");
    }
    // Outside JSON mode, strings are not converted.
    CHECK(transact_error(s, R"([[:db/add "e" :t/kw "ready"]])").code == "22023");
    // Retractions and cas convert their values too.
    CHECK(
        tx(s,
           R"([["db/retract", "e", "t/kw", "ready"], ["db/cas", "g", "t/kw", "done", "later", {"valid-from" "1970-01-01T00:00:01Z"}]])",
           o) == V{"+ g :t/kw :later 1970-01-01T00:00:01.000Z..open", "- e :t/kw :ready 1970-01-01..open",
                   "- g :t/kw :done 1970-01-01T00:00:01.000Z..open"});
}

TEST_CASE("intervals resolved at planning", "[fact][planner]") {
    MemoryStore s;
    // valid-to before the default valid-from (the tx time): 22023.
    auto err = transact_error(s, R"([[:db/add "e" :p/n 1 {:valid-to #inst "1970-01-01T00:00:01Z"}]])",
                              options(2000000));
    CHECK(err.code == "22023");
    CHECK(has(err.message, "tx_data[0]"));
    fact::PlanOptions o = options(2000000);
    o.valid_from = 0;
    CHECK(tx(s, R"([[:db/add "e" :p/n 1 {:valid-to #inst "1970-01-01T00:00:01Z"}]])", o) ==
          V{"+ e :p/n 1 1970-01-01..1970-01-01T00:00:01.000Z"});
    // Parse errors come out of plan_transaction unchanged.
    CHECK(transact_error(s, R"({:db/id "e"})").code == "22P02");
}

TEST_CASE("lock protocol", "[fact][planner]") {
    MemoryStore s;
    s.define(":u/email", ValueType::string, false, Unique::identity);
    s.define(":u/handle", ValueType::string, false, Unique::value);
    s.define(":u/n", ValueType::integer);
    tx(s, R"([[:db/add "a" :u/n 1]])");
    s.events.clear();
    s.lock_calls.clear();
    tx(s, R"([{:db/id "b" :u/email "b@x" :u/handle "bee" :u/n 2} [:db/add "a" :u/n 3] [:db/add "c" :u/n 4]
              [:db/add "b" :u/email "b@x"] [:db/retractEntity "d"]])");
    REQUIRE(s.lock_calls.size() == 2);
    auto is_sorted_unique = [](const std::vector<fact::LockRequest>& ls) {
        for (size_t i = 1; i < ls.size(); ++i)
            if (!(ls[i - 1].key < ls[i].key)) return false;
        return true;
    };
    // First call: exactly the U keys.
    std::vector<Digest> u = {fact::lock_key_unique(":u/email", vhash_of("\"b@x\"")),
                             fact::lock_key_unique(":u/handle", vhash_of("\"bee\""))};
    std::sort(u.begin(), u.end());
    REQUIRE(s.lock_calls[0].size() == 2);
    CHECK(is_sorted_unique(s.lock_calls[0]));
    CHECK(s.lock_calls[0][0].key == u[0]);
    CHECK(s.lock_calls[0][1].key == u[1]);
    // Second call: A exclusive per (e, a), E shared per entity, E exclusive for retractEntity.
    std::map<Digest, bool> want;
    for (const auto& [e, a] : std::vector<std::pair<std::string, std::string>>{
             {"a", ":u/n"}, {"b", ":u/email"}, {"b", ":u/handle"}, {"b", ":u/n"}, {"c", ":u/n"}})
        want[fact::lock_key_ea(e, a)] = true;
    for (const char* e : {"a", "b", "c"}) want[fact::lock_key_entity(e)] = false;
    want[fact::lock_key_entity("d")] = true;
    CHECK(is_sorted_unique(s.lock_calls[1]));
    REQUIRE(s.lock_calls[1].size() == want.size());
    for (const auto& l : s.lock_calls[1]) {
        REQUIRE(want.count(l.key) == 1);
        CHECK(want[l.key] == l.exclusive);
    }
    // Reads only after the lock call they depend on.
    auto first = [&](const std::string& prefix) {
        for (size_t i = 0; i < s.events.size(); ++i)
            if (s.events[i].rfind(prefix, 0) == 0) return i;
        return s.events.size();
    };
    size_t second_lock = 0;
    for (size_t i = 1; i < s.events.size(); ++i)
        if (s.events[i] == "lock") second_lock = i;
    CHECK(s.events[0] == "lock");
    CHECK(first("scan_av") > 0);
    CHECK(first("scan_ea") > second_lock);
    CHECK(first("scan_e ") > second_lock);
    CHECK(first("scan_av") < second_lock);
}

TEST_CASE("lock keys", "[fact][planner]") {
    // SHA-256 of tag ‖ u32 big-endian length ‖ bytes ... (planner.hpp).
    std::string ea = std::string("A") + std::string("\0\0\0\1e", 5) + std::string("\0\0\0\4:a/b", 8);
    CHECK(fact::lock_key_ea("e", ":a/b") == persistence::hash::sha256(ea.data(), ea.size()));
    std::string en = std::string("E") + std::string("\0\0\0\2ab", 6);
    CHECK(fact::lock_key_entity("ab") == persistence::hash::sha256(en.data(), en.size()));
    Digest v = vhash_of("1");
    std::string un = std::string("U") + std::string("\0\0\0\2:a", 6) + std::string("\0\0\0\x20", 4) +
                     std::string(reinterpret_cast<const char*>(v.data()), 32);
    CHECK(fact::lock_key_unique(":a", v) == persistence::hash::sha256(un.data(), un.size()));
    // Long parts (past the stack buffer) hash the same way.
    std::string long_e(1000, 'x');
    std::string el = std::string("E") + std::string("\0\0\x03\xe8", 4) + long_e;
    CHECK(fact::lock_key_entity(long_e) == persistence::hash::sha256(el.data(), el.size()));
    CHECK(fact::lock_key_ea("ab", "c") != fact::lock_key_ea("a", "bc"));
}
