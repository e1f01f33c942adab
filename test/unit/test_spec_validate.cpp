// valid() / validate(): every schema kind with conforming and non-conforming values, the
// problem keywords with their schema and value paths, json_keys, max_problems, [:ref]
// recursion with the depth guard, and [:fn] through a test callback.
#include "spec_helpers.hpp"

using namespace spec_test;

TEST_CASE("spec validate: scalar kinds", "[spec][validate]") {
    CHECK(ok(S(":any"), "nil"));
    CHECK(ok(S(":any"), "[1 {:a #{}}]"));
    CHECK(ok(S(":nil"), "nil"));
    CHECK(problem(S(":nil"), "false") == "wrong-type [:nil] []");
    CHECK(ok(S(":boolean"), "true"));
    CHECK(ok(S(":boolean"), "false"));
    CHECK(problem(S(":boolean"), "nil") == "wrong-type [:boolean] []");
    CHECK(ok(S(":int"), "-7"));
    CHECK(ok(S(":int"), "100000000000000000000000N"));
    CHECK(problem(S(":int"), "1.0") == "wrong-type [:int] []");
    CHECK(problem(S(":int"), "1M") == "wrong-type [:int] []");
    CHECK(ok(S(":double"), "1.5"));
    CHECK(ok(S(":double"), "##NaN"));
    CHECK(problem(S(":double"), "1") == "wrong-type [:double] []");
    CHECK(problem(S(":double"), "1.5M") == "wrong-type [:double] []");
    for (const char* n : {"1", "1.5", "2.25M", "-10000000000000000000000N"}) CHECK(ok(S(":number"), n));
    CHECK(problem(S(":number"), "\"1\"") == "wrong-type [:number] []");
    CHECK(ok(S(":string"), "\"\""));
    CHECK(problem(S(":string"), ":a") == "wrong-type [:string] []");
    CHECK(ok(S(":keyword"), ":a/b"));
    CHECK(problem(S(":keyword"), "\"a\"") == "wrong-type [:keyword] []");
    CHECK(ok(S(":symbol"), "a/b"));
    CHECK(problem(S(":symbol"), ":a") == "wrong-type [:symbol] []");
    CHECK(ok(S(":uuid"), "#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\""));
    CHECK(problem(S(":uuid"), "\"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"") == "wrong-type [:uuid] []");
    CHECK(ok(S(":inst"), "#inst \"2026-04-14T00:00:00Z\""));
    CHECK(problem(S(":inst"), "\"2026-04-14T00:00:00Z\"") == "wrong-type [:inst] []");
    // tagged values and chars are only :any
    CHECK(problem(S(":string"), "#my/tag 1") == "wrong-type [:string] []");
    CHECK(problem(S(":string"), "\\a") == "wrong-type [:string] []");
}

TEST_CASE("spec validate: predicate symbols", "[spec][validate]") {
    CHECK(ok(S("pos-int?"), "1"));
    CHECK(problem(S("pos-int?"), "0") == "too-small [:int] []");
    CHECK(ok(S("nat-int?"), "0"));
    CHECK(problem(S("neg-int?"), "0") == "too-large [:int] []");
    CHECK(ok(S("vector?"), "[1 :a]"));
    CHECK(problem(S("set?"), "[]") == "wrong-type [:set] []");
    CHECK(ok(S("some?"), "false"));
    CHECK(problem(S("some?"), "nil") == "not-allowed [:not] []");
    CHECK(ok(S("map?"), "{1 2}"));
}

TEST_CASE("spec validate: value bounds", "[spec][validate]") {
    auto i = S("[:int {:min 1 :max 10}]");
    CHECK(ok(i, "1"));
    CHECK(ok(i, "10"));
    CHECK(problem(i, "0") == "too-small [:int] []");
    CHECK(problem(i, "11") == "too-large [:int] []");
    CHECK(problem(i, "-100000000000000000000N") == "too-small [:int] []");
    CHECK(problem(i, "100000000000000000000N") == "too-large [:int] []");
    CHECK(ok(S("[:int {:max 10}]"), "-100000000000000000000N"));
    auto d = S("[:double {:min 0 :max 1}]");
    CHECK(ok(d, "0.0"));
    CHECK(ok(d, "1.0"));
    CHECK(problem(d, "-0.5") == "too-small [:double] []");
    CHECK(problem(d, "1.5") == "too-large [:double] []");
    CHECK(problem(d, "##NaN") == "too-small [:double] []");
    CHECK(problem(S("[:double {:max 1}]"), "##NaN") == "too-large [:double] []");
    auto n = S("[:number {:min -1.5 :max 2}]");
    CHECK(ok(n, "2"));
    CHECK(ok(n, "-1.5"));
    CHECK(ok(n, "1.99M"));
    CHECK(problem(n, "2.01M") == "too-large [:number] []");
    CHECK(problem(n, "-2") == "too-small [:number] []");
    CHECK(problem(n, "100000000000000000000N") == "too-large [:number] []");
}

TEST_CASE("spec validate: length and count bounds", "[spec][validate]") {
    auto s = S("[:string {:min 2 :max 3}]");
    CHECK(ok(s, "\"ab\""));
    CHECK(ok(s, "\"日本語\""));  // characters, not bytes
    CHECK(problem(s, "\"a\"") == "too-small [:string] []");
    CHECK(problem(s, "\"abcd\"") == "too-large [:string] []");
    std::string longest(100000, 'x');
    CHECK(ok(S(":string"), "\"" + longest + "\""));
    CHECK(problem(S("[:string {:max 99999}]"), "\"" + longest + "\"") == "too-large [:string] []");
    CHECK(problem(S("[:vector {:min 1} :int]"), "[]") == "too-small [:vector] []");
    CHECK(problem(S("[:vector {:max 1} :int]"), "[1 2]") == "too-large [:vector] []");
    CHECK(problem(S("[:set {:max 1} :int]"), "#{1 2}") == "too-large [:set] []");
    CHECK(problem(S("[:sequential {:min 3} :int]"), "(1 2)") == "too-small [:sequential] []");
    CHECK(problem(S("[:map-of {:max 1} :keyword :int]"), "{:a 1 :b 2}") == "too-large [:map-of] []");
}

TEST_CASE("spec validate: maps", "[spec][validate]") {
    auto m = S("[:map [:a :int] [:b {:optional true} :string] [\"c\" :boolean] [7 :nil]]");
    CHECK(ok(m, "{:a 1 \"c\" true 7 nil}"));
    CHECK(ok(m, "{:a 1 :b \"x\" \"c\" false 7 nil :extra 1}"));  // open by default
    CHECK(problem(m, "{:a 1 \"c\" true}") == "missing-key [:map 7] [7]");
    CHECK(problem(m, "{:a 1 :b 2 \"c\" true 7 nil}") == "wrong-type [:map :b :string] [:b]");
    CHECK(problems(m, "{}") == std::vector<std::string>{"missing-key", "missing-key", "missing-key"});
    CHECK(problem(m, "[]") == "wrong-type [:map] []");
    // missing keys are reported in the schema's order, then extra keys in key order
    auto closed = S("[:map {:closed true} [:z :int] [:a :int]]");
    CHECK(ok(closed, "{:z 1 :a 2}"));
    CHECK(problems(closed, "{:q 1 :b 2}") ==
          std::vector<std::string>{"missing-key", "missing-key", "extra-key", "extra-key"});
    CHECK(explained(closed, "{:z 1 :a 2 :q 3}") ==
          "[{:in [:q] :path [:map] :problem :extra-key :schema [:map {:closed true} [:z :int] [:a :int]] "
          ":value 3}]");
    CHECK(explained(closed, "{:z 1}") == "[{:in [:a] :path [:map :a] :problem :missing-key :schema :int}]");
    CHECK(ok(S(":map"), "{1 2}"));
    CHECK(ok(S("[:map]"), "{}"));
    CHECK(problem(S("[:map {:closed true}]"), "{:a 1}") == "extra-key [:map] [:a]");
}

TEST_CASE("spec validate: map-of, vector, sequential, set, tuple", "[spec][validate]") {
    auto mo = S("[:map-of :keyword [:int {:min 0}]]");
    CHECK(ok(mo, "{}"));
    CHECK(ok(mo, "{:a 1 :b 2}"));
    CHECK(problem(mo, "{\"a\" 1}") == "wrong-type [:map-of :key :keyword] [\"a\"]");
    CHECK(problem(mo, "{:a -1}") == "too-small [:map-of :value :int] [:a]");
    CHECK(problem(mo, "[]") == "wrong-type [:map-of] []");
    auto v = S("[:vector :int]");
    CHECK(ok(v, "[]"));
    CHECK(ok(v, "[1 2 3]"));
    CHECK(problem(v, "(1 2)") == "wrong-type [:vector] []");
    CHECK(problem(v, "[1 :x 3]") == "wrong-type [:vector :int] [1]");
    CHECK(problems(v, "[:a :b]") == std::vector<std::string>{"wrong-type", "wrong-type"});
    auto sq = S("[:sequential :int]");
    CHECK(ok(sq, "(1 2)"));
    CHECK(ok(sq, "[1 2]"));
    CHECK(problem(sq, "#{1}") == "wrong-type [:sequential] []");
    auto st = S("[:set :keyword]");
    CHECK(ok(st, "#{:a :b}"));
    CHECK(problem(st, "[:a]") == "wrong-type [:set] []");
    CHECK(problem(st, "#{:a \"b\"}") == "wrong-type [:set :keyword] [\"b\"]");
    auto t = S("[:tuple :int :string]");
    CHECK(ok(t, "[1 \"a\"]"));
    CHECK(problem(t, "[1]") == "wrong-count [:tuple] []");
    CHECK(problem(t, "[1 \"a\" 2]") == "wrong-count [:tuple] []");
    CHECK(problem(t, "[1 2]") == "wrong-type [:tuple 1 :string] [1]");
    CHECK(problem(t, "(1 \"a\")") == "wrong-type [:tuple] []");
    CHECK(ok(S("[:tuple]"), "[]"));
}

TEST_CASE("spec validate: enum, =, or, and, not, maybe", "[spec][validate]") {
    auto e = S("[:enum :low :medium :high 1 \"x\"]");
    for (const char* v : {":low", ":high", "1", "\"x\""}) CHECK(ok(e, v));
    CHECK(problem(e, ":urgent") == "not-in-enum [:enum] []");
    CHECK(problem(e, "1.0") == "not-in-enum [:enum] []");
    CHECK(problem(e, "\"low\"") == "not-in-enum [:enum] []");
    CHECK(ok(S("[:= [1 2]]"), "[1 2]"));
    CHECK(problem(S("[:= 1]"), "2") == "not-equal [:=] []");
    auto o = S("[:or :int :string]");
    CHECK(ok(o, "1"));
    CHECK(ok(o, "\"a\""));
    CHECK(problem(o, ":a") == "wrong-type [:or] []");  // no branch takes a keyword
    auto ob = S("[:or [:int {:max 0}] [:int {:min 10}]]");
    CHECK(problem(ob, "5") == "no-match [:or] []");  // both take integers
    // exactly one branch takes the type: its problems are reported
    auto om = S("[:or :nil [:map [:a :int]]]");
    CHECK(problem(om, "{:a :x}") == "wrong-type [:or 1 :map :a :int] [:a]");
    auto a = S("[:and :int [:int {:min 0}] [:int {:max 5}]]");
    CHECK(ok(a, "3"));
    CHECK(problem(a, "\"x\"") == "wrong-type [:and :int] []");  // stops at the first failing child
    CHECK(problem(a, "-1") == "too-small [:and :int] []");
    CHECK(problem(a, "6") == "too-large [:and :int] []");
    auto n = S("[:not [:enum :a :b]]");
    CHECK(ok(n, ":c"));
    CHECK(problem(n, ":a") == "not-allowed [:not] []");
    auto m = S("[:maybe [:string {:min 1}]]");
    CHECK(ok(m, "nil"));
    CHECK(ok(m, "\"a\""));
    CHECK(problem(m, "\"\"") == "too-small [:maybe :string] []");
    CHECK(problem(m, "1") == "wrong-type [:maybe] []");
}

TEST_CASE("spec validate: regular expressions", "[spec][validate]") {
    auto r = S("[:re \"[a-z]+\"]");
    CHECK(ok(r, "\"abc\""));
    // a full match, not a search
    CHECK(problem(r, "\"abc1\"") == "regex-mismatch [:re] []");
    CHECK(problem(r, "\"1abc\"") == "regex-mismatch [:re] []");
    CHECK(problem(r, "\"\"") == "regex-mismatch [:re] []");
    CHECK(problem(r, "1") == "wrong-type [:re] []");
    // anchors are allowed and change nothing; a search is spelled out
    CHECK(ok(S("[:re \"^[a-z]+$\"]"), "\"abc\""));
    CHECK(ok(S("[:re \".*needle.*\"]"), "\"haystack needle haystack\""));
    CHECK_FALSE(ok(S("[:re \".*needle.*\"]"), "\"line\\nneedle\""));  // . does not match a newline
    CHECK(ok(S("[:re \"(?s).*needle.*\"]"), "\"line\\nneedle\""));
    // UTF-8: . is one character
    CHECK(ok(S("[:re \"^.{3}$\"]"), "\"日本語\""));
    CHECK(ok(S("[:re \"[^@\\\\s]+@[^@\\\\s]+\\\\.[a-z]{2,}\"]"), "\"ann@example.org\""));
    // linear time on a pattern that backtracking engines take exponential time on
    std::string as(5000, 'a');
    CHECK_FALSE(ok(S("[:re \"(a+)+b\"]"), "\"" + as + "\""));
}

TEST_CASE("spec validate: multi", "[spec][validate]") {
    auto m = S(R"([:multi {:dispatch :type}
                  [:circle [:map [:type [:= :circle]] [:r [:double {:min 0}]]]]
                  [:square [:map [:type [:= :square]] [:side :int]]]])");
    CHECK(ok(m, "{:type :circle :r 1.0}"));
    CHECK(ok(m, "{:type :square :side 2}"));
    CHECK(problem(m, "{:type :triangle}") == "invalid-dispatch [:multi] [:type]");
    CHECK(problem(m, "{:r 1.0}") == "missing-key [:multi :type] [:type]");
    CHECK(problem(m, "{:type :circle :r -1.0}") == "too-small [:multi :circle :map :r :double] [:r]");
    CHECK(problem(m, "[]") == "wrong-type [:multi] []");
    auto d = S(
        "[:multi {:dispatch \"kind\"} [1 [:map [\"n\" :int]]] [:malli.core/default [:map [\"s\" :string]]]]");
    CHECK(ok(d, "{\"kind\" 1 \"n\" 2}"));
    CHECK(ok(d, "{\"kind\" 2 \"s\" \"x\"}"));
    CHECK(ok(d, "{\"s\" \"x\"}"));
    CHECK(problem(d, "{\"kind\" 2}") == "missing-key [:multi :malli.core/default :map \"s\"] [\"s\"]");
}

TEST_CASE("spec validate: json_keys", "[spec][validate]") {
    auto m =
        S("[:map {:closed true} [:name :string] [:size [:double {:min 0}]] [:tags {:optional true} [:vector "
          ":keyword]]]");
    auto j = json();
    CHECK(ok(m, "{\"name\" \"a\" \"size\" 1.5M}", j));  // jsonb numbers are integers and decimals
    CHECK(ok(m, "{\"name\" \"a\" \"size\" 2}", j));
    CHECK_FALSE(ok(m, "{\"name\" \"a\" \"size\" 2}"));  // not without json_keys
    CHECK(ok(m, "{:name \"a\" \"size\" 2.0}", j));      // either spelling of a key
    CHECK(problem(m, "{\"name\" \"a\" \"size\" 1 \"x\" 1}", j) == "extra-key [:map] [\"x\"]");
    CHECK(problem(m, "{\"name\" \"a\"}", j) == "missing-key [:map :size] [\"size\"]");
    CHECK(problem(m, "{\"name\" 1 \"size\" 1}", j) == "wrong-type [:map :name :string] [\"name\"]");
    // keywords, uuids, insts and enums of keywords are not strings: coerce converts them
    CHECK(problem(m, "{\"name\" \"a\" \"size\" 1 \"tags\" [\"x\"]}", j) ==
          "wrong-type [:map :tags :vector :keyword] [\"tags\" 0]");
    auto mu = S("[:multi {:dispatch :type} [\"a\" [:map [:n :int]]]]");
    CHECK(ok(mu, "{\"type\" \"a\" \"n\" 1}", j));
    CHECK(problem(mu, "{\"type\" \"b\"}", j) == "invalid-dispatch [:multi] [\"type\"]");
}

TEST_CASE("spec validate: max_problems", "[spec][validate]") {
    auto v = S("[:vector :int]");
    spec::Options o;
    o.max_problems = 3;
    std::string bytes = rd("[:a :b :c :d :e]");
    auto r = spec::validate(*v, vref(bytes), o);
    REQUIRE(r.ok());
    CHECK(r.value().problems.size() == 3);
    CHECK(r.value().truncated);
    bytes = rd("[:a :b :c]");
    r = spec::validate(*v, vref(bytes), o);
    CHECK(r.value().problems.size() == 3);
    CHECK_FALSE(r.value().truncated);
    o.max_problems = 0;  // at least one
    r = spec::validate(*v, vref(bytes), o);
    CHECK(r.value().problems.size() == 1);
}

TEST_CASE("spec validate: recursion through :ref", "[spec][validate]") {
    Registry reg;
    reg.define("tree", "[:map [:value :int] [:children {:optional true} [:vector [:ref :tree]]]]");
    reg.define("expr", "[:or :int [:tuple [:enum :+ :*] [:ref \"expr\"] [:ref \"expr\"]]]");
    reg.define("loop", "[:or :string [:ref :loop]]");
    spec::Options o;
    o.resolver = reg.resolver();
    auto tree = S("[:ref :tree]");
    CHECK(ok(tree, "{:value 1 :children [{:value 2} {:value 3 :children [{:value 4}]}]}", o));
    CHECK(problem(tree, "{:value 1 :children [{:value 2} {:value :x}]}", o) ==
          "wrong-type [:ref :tree :map :children :vector :ref :tree :map :value :int] [:children 1 :value]");
    // Each [:ref] node is resolved once per call, however often it recurses.
    reg.calls = 0;
    std::string wide = rd("{:value 1 :children [{:value 2} {:value 3} {:value 4 :children [{:value 5}]}]}");
    CHECK(spec::valid(*tree, vref(wide), o).value());
    CHECK(reg.calls == 2);
    auto expr = S("[:ref :expr]");
    CHECK(ok(expr, "[:+ 1 [:* 2 3]]", o));
    CHECK_FALSE(ok(expr, "[:+ 1 [:- 2 3]]", o));

    // A deep value under a recursive spec: 54000, not a stack overflow.
    std::string deep = "{:value 0}";
    for (int i = 0; i < 3000; ++i) deep = "{:value 0 :children [" + deep + "]}";
    edn::Limits big;
    big.max_depth = 10000;
    std::string bytes = rd(deep, big);
    auto r = spec::valid(*tree, vref(bytes), o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "54000");
    CHECK(spec::explain(*tree, vref(bytes), o).error().code == "54000");
    CHECK(spec::coerce(*tree, vref(bytes), o).error().code == "54000");
    spec::Options shallow = o;
    shallow.max_depth = 50;
    std::string medium = "{:value 0}";
    for (int i = 0; i < 20; ++i) medium = "{:value 0 :children [" + medium + "]}";
    CHECK(spec::valid(*tree, vref(rd(medium)), o).value());
    CHECK(spec::valid(*tree, vref(rd(medium)), shallow).error().code == "54000");

    // A cycle that consumes nothing also ends in 54000.
    auto loop = S("[:ref :loop]");
    CHECK(ok(loop, "\"a\"", o));
    std::string one = rd("1");
    CHECK(spec::valid(*loop, vref(one), o).error().code == "54000");

    // Undefined names: 42704; resolver errors pass through.
    auto missing = S("[:ref :nope]");
    CHECK(spec::valid(*missing, vref(one), o).error().code == "42704");
    CHECK(spec::valid(*missing, vref(one)).error().code == "42704");
    spec::Options failing;
    failing.resolver = [](std::string_view) -> core::Result<spec::SpecPtr> {
        return core::Error("XX001", "registry unreadable");
    };
    CHECK(spec::valid(*missing, vref(one), failing).error().code == "XX001");
}

TEST_CASE("spec validate: a step budget bounds exponential specs", "[spec][validate]") {
    // Both branches recurse, and the failure is at the bottom: 2^depth checks without a bound.
    Registry reg;
    reg.define("twice", "[:or [:tuple [:ref :twice]] [:tuple [:ref :twice]] :int]");
    spec::Options o;
    o.resolver = reg.resolver();
    auto s = S("[:ref :twice]");
    std::string shallow = "\"a\"", deep = "\"a\"";
    for (int i = 0; i < 8; ++i) shallow = "[" + shallow + "]";
    for (int i = 0; i < 40; ++i) deep = "[" + deep + "]";
    CHECK_FALSE(ok(s, shallow, o));
    for (auto f : {0, 1, 2}) {
        std::string bytes = rd(deep);
        core::Error e = f == 0   ? spec::valid(*s, vref(bytes), o).error()
                        : f == 1 ? spec::explain(*s, vref(bytes), o).error()
                                 : spec::coerce(*s, vref(bytes), o).error();
        CHECK(e.code == "54000");
        CHECK(e.message.find("took more than") != std::string::npos);
    }
}

TEST_CASE("spec validate: [:fn] through the predicate callback", "[spec][validate]") {
    auto s = S("[:map [:n [:and :int [:fn \"app.is_even\"]]] [:m {:optional true} [:fn \"app.fails\"]]]");
    std::vector<std::string> seen;
    spec::Options o;
    o.predicate = [&](std::string_view f, edn::ValueRef v) -> core::Result<bool> {
        seen.push_back(std::string(f) + " " + edn::to_string(v));
        if (f == "app.fails") return core::Error("P0001", "boom");
        return v.as_int() % 2 == 0;
    };
    CHECK(ok(s, "{:n 2}", o));
    CHECK(problem(s, "{:n 3}", o) == "fn-false [:map :n :and :fn] [:n]");
    // :and stops before the predicate when :int fails, so the callback sees only integers
    seen.clear();
    CHECK(problem(s, "{:n \"x\"}", o) == "wrong-type [:map :n :and :int] [:n]");
    CHECK(seen.empty());
    std::string v = rd("{:n 2 :m 1}");
    auto r = spec::valid(*s, vref(v), o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "P0001");
    // Without a callback: 0A000.
    std::string two = rd("{:n 2}");
    CHECK(spec::valid(*s, vref(two)).error().code == "0A000");
}

TEST_CASE("spec validate: hostile values", "[spec][validate]") {
    // Deeply nested values under a non-recursive spec stop at the first type mismatch.
    std::string deep;
    for (int i = 0; i < 500; ++i) deep += "[";
    for (int i = 0; i < 500; ++i) deep += "]";
    CHECK(problem(S("[:vector :int]"), deep) == "wrong-type [:vector :int] [0]");
    CHECK(ok(S(":any"), deep));
    // A spec nested as deeply as the value: fine within max_depth.
    std::string s = ":any";
    for (int i = 0; i < 150; ++i) s = "[:vector " + s + "]";
    CHECK(ok(S(s), deep));
}
