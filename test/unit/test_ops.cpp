#include "helpers.hpp"
#include "persistence/edn/ops.hpp"

using namespace edn_test;
namespace edn = persistence::edn;

namespace {

// The printed value of get(coll, key), or "<none>".
std::string get(const std::string& coll, const std::string& key) {
    std::string c = rd(coll), k = rd(key);
    auto v = edn::get(vref(c), vref(k));
    return v ? edn::to_string(*v) : "<none>";
}

std::string result(const persistence::core::Result<std::string>& r) {
    if (!r.ok()) return "error " + r.error().code + ": " + r.error().message;
    return edn::to_string(vref(r.value()));
}

std::string assoc(const std::string& c, const std::string& k, const std::string& v) {
    std::string cb = rd(c), kb = rd(k), vb = rd(v);
    auto r = edn::assoc(vref(cb), vref(kb), vref(vb), {});
    if (r.ok()) CHECK(valid(r.value()));
    return result(r);
}

std::string dissoc(const std::string& c, const std::string& k) {
    std::string cb = rd(c), kb = rd(k);
    auto r = edn::dissoc(vref(cb), vref(kb), {});
    if (r.ok()) CHECK(valid(r.value()));
    return result(r);
}

std::string conj(const std::string& c, const std::string& x) {
    std::string cb = rd(c), xb = rd(x);
    auto r = edn::conj(vref(cb), vref(xb), {});
    if (r.ok()) CHECK(valid(r.value()));
    return result(r);
}

std::string merge(const std::string& a, const std::string& b) {
    std::string ab = rd(a), bb = rd(b);
    auto r = edn::merge(vref(ab), vref(bb), {});
    if (r.ok()) CHECK(valid(r.value()));
    return result(r);
}

bool contains(const std::string& a, const std::string& b) {
    std::string ab = rd(a), bb = rd(b);
    return edn::contains(vref(ab), vref(bb));
}

std::string count(const std::string& v) {
    std::string b = rd(v);
    auto r = edn::count(vref(b));
    return r.ok() ? std::to_string(r.value()) : "error " + r.error().code + ": " + r.error().message;
}

}  // namespace

TEST_CASE("ops: get and get_index") {
    CHECK(get("{:a 1 :b 2}", ":b") == "2");
    CHECK(get("{:a 1 :b 2}", ":c") == "<none>");
    CHECK(get("{[1 2] :v}", "[1 2]") == ":v");
    CHECK(get("[10 20 30]", "0") == "10");
    CHECK(get("[10 20 30]", "2") == "30");
    CHECK(get("[10 20 30]", "3") == "<none>");
    CHECK(get("[10 20 30]", "-1") == "30");
    CHECK(get("[10 20 30]", "-3") == "10");
    CHECK(get("[10 20 30]", "-4") == "<none>");
    CHECK(get("(10 20 30)", "1") == "20");
    CHECK(get("[10 20 30]", ":a") == "<none>");
    CHECK(get("[10 20 30]", "1.0") == "<none>");
    CHECK(get("[10 20 30]", "99999999999999999999N") == "<none>");
    CHECK(get("#{:a :b}", ":a") == ":a");
    CHECK(get("#{:a :b}", ":c") == "<none>");
    CHECK(get("nil", ":a") == "<none>");
    CHECK(get("\"abc\"", "0") == "<none>");
    CHECK(get("#t {:a 1}", ":a") == "<none>");

    std::string v = rd("[1 2 3]");
    CHECK(edn::get_index(vref(v), 1)->as_int() == 2);
    CHECK(edn::get_index(vref(v), -1)->as_int() == 3);
    CHECK_FALSE(edn::get_index(vref(v), 3));
    CHECK_FALSE(edn::get_index(vref(v), INT64_MIN));
    std::string m = rd("{0 1}");
    CHECK_FALSE(edn::get_index(vref(m), 0));
}

TEST_CASE("ops: get_in") {
    std::string v = rd("{:a [{:b 1} {:b #{:x}}] :c nil}");
    auto path = [&](const std::string& p) {
        std::string pb = rd(p);
        auto r = edn::get_in(vref(v), vref(pb));
        REQUIRE(r.ok());
        return r.value() ? edn::to_string(*r.value()) : "<none>";
    };
    CHECK(path("[:a 1 :b]") == "#{:x}");
    CHECK(path("(:a -2 :b)") == "1");
    CHECK(path("[:a 1 :b :x]") == ":x");
    CHECK(path("[]") == edn::to_string(vref(v)));
    CHECK(path("[:a 5]") == "<none>");
    CHECK(path("[:c :d]") == "<none>");
    CHECK(path("[:z :y]") == "<none>");
    std::string bad = rd(":a");
    auto r = edn::get_in(vref(v), vref(bad));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "22023");
    bad = rd("#{:a}");
    CHECK(edn::get_in(vref(v), vref(bad)).error().code == "22023");
}

TEST_CASE("ops: contains") {
    CHECK(contains("{:a 1 :b {:c 2 :d 3}}", "{:b {:c 2}}"));
    CHECK(contains("{:a 1}", "{}"));
    CHECK_FALSE(contains("{:a 1}", "{:a 2}"));
    CHECK_FALSE(contains("{:a 1}", "{:b 1}"));
    CHECK(contains("[1 2 3]", "[3 1]"));
    CHECK(contains("[1 2 3]", "[]"));
    CHECK(contains("[1 2 3]", "[1 1]"));
    CHECK_FALSE(contains("[1 2 3]", "[4]"));
    CHECK_FALSE(contains("[1 2 3]", "(1)"));
    CHECK(contains("[{:a 1 :b 2} {:c 3}]", "[{:a 1}]"));
    CHECK(contains("(1 2)", "(2)"));
    CHECK(contains("#{1 2 3}", "#{1 3}"));
    CHECK_FALSE(contains("#{1 2 3}", "#{4}"));
    CHECK(contains("#{{:a 1 :b 2}}", "#{{:a 1}}"));
    CHECK(contains("1", "1"));
    CHECK_FALSE(contains("1", "1.0"));
    CHECK_FALSE(contains("1", "2"));
    CHECK(contains("nil", "nil"));
    CHECK(contains("\"abc\"", "\"abc\""));
    CHECK_FALSE(contains("\"abc\"", "\"ab\""));
    CHECK(contains("#t {:a 1 :b 2}", "#t {:a 1}"));
    CHECK_FALSE(contains("#t {:a 1}", "#u {:a 1}"));
    CHECK_FALSE(contains("{:a 1}", "[:a 1]"));
}

TEST_CASE("ops: assoc") {
    CHECK(assoc("{:b 2}", ":a", "1") == "{:a 1 :b 2}");
    CHECK(assoc("{:a 1 :b 2}", ":a", "9") == "{:a 9 :b 2}");
    CHECK(assoc("{:a 1}", ":z", "[1]") == "{:a 1 :z [1]}");
    CHECK(assoc("{}", "nil", "nil") == "{nil nil}");
    CHECK(assoc("nil", ":a", "1") == "{:a 1}");
    CHECK(assoc("[1 2 3]", "0", ":x") == "[:x 2 3]");
    CHECK(assoc("[1 2 3]", "2", ":x") == "[1 2 :x]");
    CHECK(assoc("[1 2 3]", "3", ":x") == "[1 2 3 :x]");
    CHECK(assoc("[]", "0", ":x") == "[:x]");
    CHECK(assoc("[1 2 3]", "4", ":x") == "error 22023: index 4 out of range for a vector of 3 elements");
    CHECK(assoc("[1 2 3]", "-1", ":x") == "error 22023: index -1 out of range for a vector of 3 elements");
    CHECK(assoc("[1]", "99999999999999999999N", ":x").rfind("error 22023: index 99999999999999999999N", 0) ==
          0);
    CHECK(assoc("[1]", ":a", ":x").rfind("error 22023", 0) == 0);
    CHECK(assoc("(1 2)", "0", ":x") == "error 22023: cannot assoc on a list; expected a map, vector or nil");
    CHECK(assoc("#{1}", "0", ":x") == "error 22023: cannot assoc on a set; expected a map, vector or nil");
    CHECK(assoc("42", "0", ":x") == "error 22023: cannot assoc on an integer; expected a map, vector or nil");

    // Limits apply to results.
    edn::Limits limits;
    limits.max_depth = 2;
    std::string m = rd("{:a [1]}"), k = rd(":b"), v = rd("[[1]]");
    auto r = edn::assoc(vref(m), vref(k), vref(v), limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "54000");
    limits = {};
    limits.max_size = 40;
    std::string big = rd("\"" + std::string(40, 'x') + "\"");
    r = edn::assoc(vref(m), vref(k), vref(big), limits);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "54000");
}

TEST_CASE("ops: dissoc") {
    CHECK(dissoc("{:a 1 :b 2}", ":a") == "{:b 2}");
    CHECK(dissoc("{:a 1 :b 2}", ":b") == "{:a 1}");
    CHECK(dissoc("{:a 1}", ":a") == "{}");
    CHECK(dissoc("{:a 1}", ":c") == "{:a 1}");
    CHECK(dissoc("nil", ":c") == "nil");
    CHECK(dissoc("[1]", "0") == "error 22023: cannot dissoc on a vector; expected a map or nil");
}

TEST_CASE("ops: conj") {
    CHECK(conj("[1 2]", "3") == "[1 2 3]");
    CHECK(conj("[]", "[]") == "[[]]");
    CHECK(conj("(1 2)", "0") == "(0 1 2)");
    CHECK(conj("#{1 3}", "2") == "#{1 2 3}");
    CHECK(conj("#{1 3}", "3") == "#{1 3}");
    CHECK(conj("#{}", ":a") == "#{:a}");
    CHECK(conj("{:a 1}", "[:b 2]") == "{:a 1 :b 2}");
    CHECK(conj("{:a 1}", "[:a 2]") == "{:a 2}");
    CHECK(conj("{:a 1}", "{:b 2 :a 3}") == "{:a 3 :b 2}");
    CHECK(conj("nil", "1") == "(1)");
    CHECK(conj("{:a 1}", "[:b]") ==
          "error 22023: cannot conj a vector onto a map; expected a [key value] vector or a map");
    CHECK(conj("{:a 1}", "(:b 2)").rfind("error 22023: cannot conj a list onto a map", 0) == 0);
    CHECK(conj("1", "2") == "error 22023: cannot conj onto an integer; expected a collection or nil");
    CHECK(conj("\"s\"", "2").rfind("error 22023", 0) == 0);
}

TEST_CASE("ops: merge") {
    CHECK(merge("{:a 1 :b 2}", "{:b 3 :c 4}") == "{:a 1 :b 3 :c 4}");
    CHECK(merge("{:a 1}", "{}") == "{:a 1}");
    CHECK(merge("{}", "{:a 1}") == "{:a 1}");
    CHECK(merge("nil", "{:a 1}") == "{:a 1}");
    CHECK(merge("{:a 1}", "nil") == "{:a 1}");
    CHECK(merge("nil", "nil") == "{}");
    CHECK(merge("{:c 1 :e 2}", "{:a 0 :d 3 :f 4}") == "{:a 0 :c 1 :d 3 :e 2 :f 4}");
    CHECK(merge("[1]", "{:a 1}") == "error 22023: cannot merge a vector; expected maps or nil");
    CHECK(merge("{:a 1}", "#{1}") == "error 22023: cannot merge a set; expected maps or nil");
}

TEST_CASE("ops: count") {
    CHECK(count("[1 2 3]") == "3");
    CHECK(count("(1)") == "1");
    CHECK(count("#{1 2}") == "2");
    CHECK(count("{:a 1 :b 2}") == "2");
    CHECK(count("{}") == "0");
    CHECK(count("\"h\xc3\xa9llo \xf0\x9f\x98\x80\"") == "7");
    CHECK(count("nil") == "0");
    CHECK(count("42") == "error 22023: cannot count an integer");
    CHECK(count(":a") == "error 22023: cannot count a keyword");
    CHECK(count("#t [1]") == "error 22023: cannot count a tagged value");
}
