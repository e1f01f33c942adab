// parse_tx_data: the shapes it accepts, and every error with its SQLSTATE and path.
#include "memory_store.hpp"
#include "persistence/fact/tx_data.hpp"

using namespace fact_test;
using fact::OpKind;
using fact::TxOp;

namespace {

core::Result<std::vector<TxOp>> parse(const std::string& text, bool json = false, bool allow_system = false) {
    std::string bytes = rd(text);
    fact::ParseOptions o;
    o.json = json;
    o.allow_system = allow_system;
    return fact::parse_tx_data(vref(bytes), o);
}

std::vector<TxOp> ok(const std::string& text, bool json = false, bool allow_system = false) {
    auto r = parse(text, json, allow_system);
    INFO("tx_data: " << text);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    return r.take();
}

// Parsing must fail with `code`, and the message must start with `path` followed by ": ".
void fails(const std::string& text, const std::string& code, const std::string& path, bool json = false) {
    auto r = parse(text, json);
    INFO("tx_data: " << text);
    REQUIRE_FALSE(r.ok());
    INFO("message: " << r.error().message);
    CHECK(r.error().code == code);
    CHECK(r.error().message.rfind(path + (path == "tx_data must be a vector" ? " " : ": "), 0) == 0);
    CHECK_FALSE(r.error().hint.empty());
}

std::string value(const std::string& encoded) {
    return encoded.empty() ? "<none>" : edn::to_string(vref(encoded));
}

}  // namespace

TEST_CASE("tx_data: the operations", "[fact][txdata]") {
    auto ops = ok(R"([[:db/add "e1" :person/name "Ann"]
                      [:db/retract "e1" :person/name "Ann" {:valid-from #inst "2026-04-14T00:00:00Z"}]
                      [:db/retract "e1" :person/name]
                      [:db/retract "e1" :person/name nil {:valid-to #inst "2026-04-14T00:00:00Z"}]
                      [:db/cas "e1" :acct/n nil 5]
                      [:db/retractEntity #uuid "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6"]
                      [:db/add "e2" :x 1 {:valid-from #inst "2026-04-14T00:00:00.000001Z" :valid-to #inst "2026-04-15T00:00:00Z"}]])");
    REQUIRE(ops.size() == 7);
    CHECK(ops[0].kind == OpKind::add);
    CHECK(ops[0].e == "e1");
    CHECK(ops[0].a == ":person/name");
    CHECK(value(ops[0].value) == "\"Ann\"");
    CHECK_FALSE(ops[0].valid_from);
    CHECK_FALSE(ops[0].valid_to);
    CHECK_FALSE(ops[0].from_entity_map);
    CHECK(ops[0].path == "tx_data[0]");

    CHECK(ops[1].kind == OpKind::retract);
    CHECK(value(ops[1].value) == "\"Ann\"");
    CHECK(ops[1].valid_from == t("2026-04-14"));
    CHECK(ops[2].kind == OpKind::retract);
    CHECK(ops[2].value.empty());  // every value
    CHECK(ops[3].value.empty());  // nil: every value, with options
    CHECK(ops[3].valid_to == t("2026-04-14"));
    CHECK_FALSE(ops[3].valid_from);

    CHECK(ops[4].kind == OpKind::cas);
    CHECK(value(ops[4].old_value) == "nil");
    CHECK(value(ops[4].value) == "5");
    CHECK(ops[4].path == "tx_data[4]");

    CHECK(ops[5].kind == OpKind::retract_entity);
    CHECK(ops[5].e == "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    CHECK(ops[5].a.empty());

    CHECK(ops[6].a == ":x");  // a keyword without a namespace is an attribute too
    CHECK(ops[6].valid_from == t("2026-04-14") + 1);
    CHECK(ops[6].valid_to == t("2026-04-15"));

    CHECK(ok("[]").empty());
}

TEST_CASE("tx_data: entity maps", "[fact][txdata]") {
    auto ops = ok(
        R"([{:person/name "Ann" :db/id "e1" :person/tags [:a :b] :db/valid-from #inst "2026-04-14T00:00:00Z"}
                      {:db/id #uuid "00000000-0000-0000-0000-00000000000A"}])");
    REQUIRE(ops.size() == 2);  // the second map only names its entity
    // In key order; the collection stays one value here (the planner expands it).
    CHECK(ops[0].a == ":person/name");
    CHECK(ops[0].path == "tx_data[0] :person/name");
    CHECK(ops[0].e == "e1");
    CHECK(ops[0].from_entity_map);
    CHECK(ops[0].valid_from == t("2026-04-14"));
    CHECK_FALSE(ops[0].valid_to);
    CHECK(ops[1].a == ":person/tags");
    CHECK(value(ops[1].value) == "[:a :b]");
    CHECK(ops[1].path == "tx_data[0] :person/tags");
}

TEST_CASE("tx_data: JSON mode", "[fact][txdata]") {
    auto ops = ok(R"([["db/add", "e1", "person/name", "Ann", {"valid-from" "2026-04-14T02:00:00+02:00"}],
                      [":db/retract", "e1", ":person/name"],
                      ["db/cas", "e1", "acct/n", nil, 5, {":valid-to" "2026-04-15T00:00:00Z"}],
                      ["db/retractEntity", "e2"],
                      {"db/id" "e3", "person/name" "Bo", ":db/valid-to" "2026-04-15T00:00:00Z"},
                      [:db/add "e4" :k/w 1 {:valid-from #inst "2026-04-14T00:00:00Z"}]])",
                  true);
    REQUIRE(ops.size() == 6);
    CHECK(ops[0].a == ":person/name");
    CHECK(ops[0].valid_from == t("2026-04-14"));
    CHECK(ops[1].kind == OpKind::retract);
    CHECK(ops[1].a == ":person/name");
    CHECK(ops[2].kind == OpKind::cas);
    CHECK(ops[2].valid_to == t("2026-04-15"));
    CHECK(ops[3].kind == OpKind::retract_entity);
    CHECK(ops[4].e == "e3");
    CHECK(ops[4].a == ":person/name");
    CHECK(ops[4].path == "tx_data[4] :person/name");
    CHECK(ops[4].valid_to == t("2026-04-15"));
    CHECK(ops[5].a == ":k/w");  // keywords and #inst are accepted in JSON mode too

    fails(R"([["db/add", "e", "a/b", 1, {"valid-from" "yesterday"}]])", "22P02", "tx_data[0][4]", true);
    fails(R"([["db/add", "e", "a/b", 1, {"valid-from" "2026-13-01T00:00:00Z"}]])", "22008", "tx_data[0][4]",
          true);
    fails(R"([["db/add", "e", "a/b", 1, {"valid-from" 5}]])", "22P02", "tx_data[0][4]", true);
    fails(R"([["db/add", "e", "not a keyword", 1]])", "22P02", "tx_data[0][2]", true);
    fails(R"([["db/add", "e", "", 1]])", "22P02", "tx_data[0][2]", true);
    fails(R"([["db/add", "e", 7, 1]])", "22P02", "tx_data[0][2]", true);
    fails(R"([["db/frob", "e", "a/b", 1]])", "22P02", "tx_data[0][0]", true);
    fails(R"([[1, "e", "a/b", 1]])", "22P02", "tx_data[0][0]", true);
    fails(R"([{"person/name" "x"}])", "22P02", "tx_data[0]", true);
    fails(R"([{"db/id" "e", "bad key" 1}])", "22P02", "tx_data[0]", true);
    fails(R"([{"db/id" "e", "db/valid-to" "2026-04-15T00:00:00.0000001Z"}])", "22008",
          "tx_data[0] :db/valid-to", true);
    fails(R"([["db/add", "e", "db/doc", 1]])", "22023", "tx_data[0][2]", true);
    // EDN mode does not read strings as names or times.
    fails(R"([["db/add" "e" "a/b" 1]])", "22P02", "tx_data[0][0]");
    fails(R"([[:db/add "e" "a/b" 1]])", "22P02", "tx_data[0][2]");
    fails(R"([[:db/add "e" :a/b 1 {:valid-from "2026-04-14T00:00:00Z"}]])", "22P02", "tx_data[0][4]");
    fails(R"([{:db/id "e" "a/b" 1}])", "22P02", "tx_data[0]");
}

TEST_CASE("tx_data: structural errors", "[fact][txdata]") {
    fails(R"({:db/add 1})", "22P02", "tx_data must be a vector");
    fails(R"(([:db/add "e" :a/b 1]))", "22P02", "tx_data must be a vector");
    fails(R"(nil)", "22P02", "tx_data must be a vector");
    fails(R"([1])", "22P02", "tx_data[0]");
    fails(R"([[:db/add "e" :a/b 1] ([:db/add "e" :a/b 1])])", "22P02", "tx_data[1]");
    fails(R"([[:db/add "e" :a/b 1] "x"])", "22P02", "tx_data[1]");
    fails(R"([[]])", "22P02", "tx_data[0]");
    fails(R"([[1 "e" :a/b 1]])", "22P02", "tx_data[0][0]");
    fails(R"([[:db/frob "e" :a/b 1]])", "22P02", "tx_data[0][0]");
    fails(R"([[:add "e" :a/b 1]])", "22P02", "tx_data[0][0]");
    std::string many;
    for (int i = 0; i < 12; ++i) many += R"([:db/add "e" :a/b 1] )";
    fails("[" + many + R"([:db/add "e" :a/b 1 {:valid-frm #inst "2026-01-01T00:00:00Z"}]])", "22P02",
          "tx_data[12][4]");
}

TEST_CASE("tx_data: arity", "[fact][txdata]") {
    for (const char* text : {R"([[:db/add "e" :a/b]])", R"([[:db/add "e" :a/b 1 {} 2]])",
                             R"([[:db/retract "e"]])", R"([[:db/retract "e" :a/b 1 {} 2]])",
                             R"([[:db/cas "e" :a/b 1]])", R"([[:db/cas "e" :a/b 1 2 {} 3]])",
                             R"([[:db/retractEntity]])", R"([[:db/retractEntity "e" {} 1]])"}) {
        fails(text, "22P02", "tx_data[0]");
        auto r = parse(text);
        CHECK(r.error().message.find("elements") != std::string::npos);
    }
    // Options in the wrong place are not a map.
    fails(R"([[:db/add "e" :a/b 1 [1]]])", "22P02", "tx_data[0][4]");
    fails(R"([[:db/retract "e" :a/b nil :x]])", "22P02", "tx_data[0][4]");
    fails(R"([[:db/cas "e" :a/b 1 2 3]])", "22P02", "tx_data[0][5]");
    fails(R"([[:db/retractEntity "e" 3]])", "22P02", "tx_data[0][2]");
}

TEST_CASE("tx_data: entity ids and attributes", "[fact][txdata]") {
    fails(R"([[:db/add 1 :a/b 1]])", "22P02", "tx_data[0][1]");
    fails(R"([[:db/add :foo :a/b 1]])", "22P02", "tx_data[0][1]");
    fails(R"([[:db/add nil :a/b 1]])", "22P02", "tx_data[0][1]");
    fails(R"([[:db/add "" :a/b 1]])", "22P02", "tx_data[0][1]");
    fails(R"([[:db/retractEntity 5]])", "22P02", "tx_data[0][1]");
    // ':' starts the ids of attribute entities.
    fails(R"([[:db/add ":a/b" :a/b 1]])", "22023", "tx_data[0][1]");
    CHECK(ok(R"([[:db/add ":a/b" :a/c 1]])", false, true)[0].e == ":a/b");
    auto r = parse(R"([[:db/add :foo :a/b 1]])");
    CHECK(r.error().message == "tx_data[0][1]: entity id must be a string or #uuid, got :foo");

    fails(R"([[:db/add "e" a/b 1]])", "22P02", "tx_data[0][2]");
    fails(R"([[:db/add "e" 1 1]])", "22P02", "tx_data[0][2]");
    fails(R"([[:db/retract "e" nil]])", "22P02", "tx_data[0][2]");
    // Reserved namespaces: db and db.*.
    fails(R"([[:db/add "e" :db/ident 1]])", "22023", "tx_data[0][2]");
    fails(R"([[:db/add "e" :db.type/x 1]])", "22023", "tx_data[0][2]");
    fails(R"([[:db/retract "e" :db/ident]])", "22023", "tx_data[0][2]");
    fails(R"([[:db/cas "e" :db/ident 1 2]])", "22023", "tx_data[0][2]");
    CHECK(ok(R"([[:db/add "e" :dbx/y 1] [:db/add "e" :db 1] [:db/add "e" :my.db/y 1]])").size() == 3);
    CHECK(ok(R"([[:db/add ":a/b" :db/ident :a/b] {:db/id ":a/b" :db/doc "d"}])", false, true).size() == 2);
}

TEST_CASE("tx_data: entity map errors", "[fact][txdata]") {
    fails(R"([{:person/name "x"}])", "22P02", "tx_data[0]");
    fails(R"([{}])", "22P02", "tx_data[0]");
    fails(R"([{:db/id 5 :person/name "x"}])", "22P02", "tx_data[0] :db/id");
    fails(R"([{:db/id "" :person/name "x"}])", "22P02", "tx_data[0] :db/id");
    fails(R"([{:db/id ":x/y" :person/name "x"}])", "22023", "tx_data[0] :db/id");
    fails(R"([{:db/id "e" 1 "x"}])", "22P02", "tx_data[0]");
    fails(R"([{:db/id "e" :db/doc "x"}])", "22023", "tx_data[0] :db/doc");
    fails(R"([{:db/id "e" :a/b 1 :db/valid-from "2026"}])", "22P02", "tx_data[0] :db/valid-from");
    fails(R"([{:db/id "e" :a/b 1 :db/valid-to 1}])", "22P02", "tx_data[0] :db/valid-to");
    fails(
        R"([{:db/id "e" :a/b 1 :db/valid-from #inst "2026-01-02T00:00:00Z" :db/valid-to #inst "2026-01-01T00:00:00Z"}])",
        "22023", "tx_data[0]");
}

TEST_CASE("tx_data: valid times", "[fact][txdata]") {
    fails(R"([[:db/add "e" :a/b 1 {:valid-from 1}]])", "22P02", "tx_data[0][4]");
    fails(R"([[:db/add "e" :a/b 1 {:valid-to nil}]])", "22P02", "tx_data[0][4]");
    fails(R"([[:db/add "e" :a/b 1 {:valid-at #inst "2026-01-01T00:00:00Z"}]])", "22P02", "tx_data[0][4]");
    fails(R"([[:db/add "e" :a/b 1 {"valid-from" #inst "2026-01-01T00:00:00Z"}]])", "22P02", "tx_data[0][4]");
    // Finer than a microsecond: never rounded.
    fails(R"([[:db/add "e" :a/b 1 {:valid-from #inst "2026-01-01T00:00:00.0000001Z"}]])", "22008",
          "tx_data[0][4]");
    fails(R"([[:db/add "e" :a/b 1 {:valid-to #inst "2026-01-01T00:00:00.123456789Z"}]])", "22008",
          "tx_data[0][4]");
    CHECK(ok(R"([[:db/add "e" :a/b 1 {:valid-to #inst "2026-01-01T00:00:00.123456Z"}]])")[0].valid_to ==
          t("2026-01-01") + 123456);
    // Empty or reversed intervals.
    fails(
        R"([[:db/add "e" :a/b 1 {:valid-from #inst "2026-01-01T00:00:00Z" :valid-to #inst "2026-01-01T00:00:00Z"}]])",
        "22023", "tx_data[0][4]");
    fails(
        R"([[:db/retract "e" :a/b 1 {:valid-from #inst "2026-01-02T00:00:00Z" :valid-to #inst "2026-01-01T00:00:00Z"}]])",
        "22023", "tx_data[0][4]");
    // Times before the epoch work (negative microseconds).
    CHECK(ok(R"([[:db/add "e" :a/b 1 {:valid-from #inst "1969-12-31T23:59:59.999999Z"}]])")[0].valid_from ==
          -1);
    CHECK(ok(R"([[:db/add "e" :a/b 1 {:valid-from #inst "0000-01-01T00:00:00Z"}]])")[0].valid_from ==
          -62167219200LL * 1000000);
}
