// generate(): the property (every generated value is valid, for every schema kind and a
// few composite schemas), determinism, the regex subset, and the errors.
#include "persistence/spec/random.hpp"
#include "persistence/spec/regex_gen.hpp"
#include "spec_helpers.hpp"

using namespace spec_test;

namespace {

const char* const property_schemas[] = {
    // every kind
    ":any",
    ":nil",
    ":boolean",
    ":int",
    ":double",
    ":number",
    ":string",
    ":keyword",
    ":symbol",
    ":uuid",
    ":inst",
    ":map",
    "[:int {:min -5 :max 5}]",
    "[:int {:min 9223372036854775800}]",
    "[:int {:max -9223372036854775800}]",
    "[:int {:min -9223372036854775808 :max 9223372036854775807}]",
    "[:double {:min 0 :max 1}]",
    "[:double {:min 0.1 :max 0.2}]",
    "[:double {:min 1e300}]",
    "[:double {:max -1e300}]",
    "[:number {:min 2 :max 3}]",
    "[:string {:min 3 :max 5}]",
    "[:string {:min 200}]",
    "[:string {:max 0}]",
    "[:map [:a :int] [:b {:optional true} :string]]",
    "[:map {:closed true} [:a :keyword] [\"s\" :nil] [3 :boolean]]",
    "[:map-of :keyword :int]",
    "[:map-of {:min 3 :max 4} :int :string]",
    "[:vector :int]",
    "[:vector {:min 2 :max 3} :uuid]",
    "[:sequential :string]",
    "[:set :keyword]",
    "[:set {:min 5} :int]",
    "[:tuple :int :string :inst]",
    "[:tuple]",
    "[:enum :low :medium :high]",
    "[:= {:exactly [1 2]}]",
    "[:or :int :string]",
    "[:and :int [:int {:min 0}] [:int {:max 10}]]",
    "[:not :int]",
    "[:not [:enum nil true false]]",
    "[:maybe :string]",
    "[:re \"[a-z]+\"]",
    "[:re \"^[A-Z]{2,3}-\\\\d{4}$\"]",
    "[:re \"[^@\\\\s]+@[^@\\\\s]+\\\\.[a-z]{2,}\"]",
    "[:re \"(foo|bar)+(?:baz)?\"]",
    "[:re \"\\\\w+\\\\s\\\\W\\\\S\\\\D\"]",
    "[:re \"[^a-z]*\"]",
    "[:re \"(?i)hello\"]",
    "[:re \"\\\\bword\\\\b\"]",
    "[:re \"a.c\"]",
    "[:re \"[[:digit:]]{3}-[[:upper:][:space:]]\"]",
    "[:re \"\\\\x{263a}\\\\x41\"]",
    "[:re \"\"]",
    "[:multi {:dispatch :type} [:circle [:map [:r [:double {:min 0}]]]] [:square [:map [:type [:= :square]] "
    "[:side pos-int?]]]]",
    "[:multi {:dispatch \"k\"} [1 [:map [\"v\" :int]]] [:malli.core/default [:map [\"w\" :string]]]]",
    "[:ref :tree]",
    "[:ref :expr]",
    "[:ref :json]",
    "[:and :int [:fn \"even\"]]",
    "[:and [:string {:min 3 :max 10}] [:re \"[a-c]+\"]]",
    "pos-int?",
    "nat-int?",
    "neg-int?",
    "some?",
    "vector?",
    "set?",
    "sequential?",
    // composites: an agent's output
    R"([:map {:closed true}
       [:summary [:string {:min 1 :max 80}]]
       [:priority [:enum :low :medium :high]]
       [:assignee [:map [:name [:string {:min 1}]] [:email [:re "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}"]]]]
       [:tags {:optional true} [:vector {:max 5} :keyword]]
       [:steps [:vector {:min 1} [:map [:id pos-int?] [:action [:enum :search :read :write]] [:args [:map-of :keyword :any]]]]]
       [:confidence [:double {:min 0 :max 1}]]
       [:due {:optional true} [:maybe :inst]]])",
    "[:vector [:or [:tuple :keyword [:maybe :int]] [:map-of :string [:set :uuid]]]]",
    "[:map [:events [:vector [:multi {:dispatch :kind} [:click [:map [:x :int] [:y :int]]] [:key [:map "
    "[:code [:re \"[A-Z]\"]]]]]]]]",
};

Registry registry() {
    Registry reg;
    reg.define("tree", "[:map [:value :int] [:children {:optional true} [:vector [:ref :tree]]]]");
    reg.define("expr", "[:or :int [:tuple [:enum :+ :*] [:ref :expr] [:ref :expr]]]");
    reg.define("json",
               "[:or :nil :boolean :string [:double {:min -1e6 :max 1e6}] [:vector [:ref :json]] "
               "[:map-of :string [:ref :json]]]");
    return reg;
}

core::Result<bool> even(std::string_view, edn::ValueRef v) {
    return v.tag() == edn::Tag::integer && v.as_int() % 2 == 0;
}

std::vector<std::string> printed_values(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) out.push_back(edn::to_string(vref(v)));
    return out;
}

}  // namespace

TEST_CASE("spec generate: every value is valid, for every schema kind", "[spec][generate]") {
    Registry reg = registry();
    spec::Options o;
    o.resolver = reg.resolver();
    o.predicate = even;
    for (const char* schema : property_schemas) {
        auto s = S(schema);
        for (uint64_t seed : {1ull, 20260414ull}) {
            auto r = spec::generate(*s, 200, seed, o.resolver, o.predicate);
            INFO("schema: " << schema << " seed " << seed);
            if (!r) INFO("error: " << r.error().code << " " << r.error().message);
            REQUIRE(r.ok());
            REQUIRE(r.value().size() == 200);
            for (const std::string& v : r.value()) {
                INFO("value: " << edn::to_string(vref(v)));
                REQUIRE(valid(v));  // canonical encoded EDN
                auto ok = spec::valid(*s, vref(v), o);
                REQUIRE(ok.ok());
                REQUIRE(ok.value());
            }
        }
    }
}

TEST_CASE("spec generate: deterministic", "[spec][generate]") {
    Registry reg = registry();
    for (const char* schema : property_schemas) {
        auto s = S(schema);
        auto a = spec::generate(*s, 50, 7, reg.resolver(), even);
        auto b = spec::generate(*s, 50, 7, reg.resolver(), even);
        auto prefix = spec::generate(*s, 10, 7, reg.resolver(), even);
        INFO("schema: " << schema);
        REQUIRE(a.ok());
        CHECK(a.value() == b.value());
        CHECK(std::vector<std::string>(a.value().begin(), a.value().begin() + 10) == prefix.value());
    }
    // Different seeds give different values.
    auto s = S("[:vector :int]");
    CHECK(spec::generate(*s, 20, 1).value() != spec::generate(*s, 20, 2).value());
}

TEST_CASE("spec generate: pinned values (the same on every platform)", "[spec][generate]") {
    // These bytes are the contract of determinism: only integer arithmetic and our own
    // PRNG go into them. A change here means seeds stop reproducing old values.
    spec::Rng rng(42);
    // xoshiro256** over splitmix64(42), checked against an independent implementation
    CHECK(rng.next() == 0x15780b2e0c2ec716ULL);
    CHECK(rng.next() == 0x6104d9866d113a7eULL);
    auto s =
        S("[:map [:n [:int {:min 0 :max 99}]] [:d [:double {:min 0 :max 1}]] [:k [:enum :a :b :c]] "
          "[:s [:string {:max 4}]] [:t [:re \"[a-z]{3}-\\\\d\"]]]");
    CHECK(printed_values(spec::generate(*s, 3, 42).value()) ==
          std::vector<std::string>{"{:d 1.0 :k :c :n 2 :s \"n\" :t \"klx-3\"}",
                                   "{:d 0.75 :k :b :n 42 :s \"2\" :t \"vlp-5\"}",
                                   "{:d 1.0 :k :c :n 88 :s \"m4\" :t \"mcv-9\"}"});
}

TEST_CASE("spec generate: the regex subset", "[spec][generate]") {
    spec::Rng rng(1);
    std::string out;
    auto gen = [&](const char* pattern) {
        auto g = spec::RegexGenerator::compile(pattern);
        INFO("pattern: " << pattern);
        if (!g) INFO(g.error().message);
        REQUIRE(g.ok());
        REQUIRE(g.value()->generate(rng, out));
        return out;
    };
    CHECK(gen("abc") == "abc");
    CHECK(gen("a{3}") == "aaa");
    CHECK(gen("(?:ab){2}") == "abab");
    CHECK(gen("\\x41\\x{263A}\\.\\n") == "A\u263A.\n");
    CHECK(gen("[x]") == "x");
    CHECK(gen("^\\Aend\\z$") == "end");
    for (int i = 0; i < 50; ++i) {
        std::string d = gen("\\d{2,4}");
        CHECK(d.size() >= 2);
        CHECK(d.size() <= 4);
        CHECK(d.find_first_not_of("0123456789") == std::string::npos);
        std::string a = gen("(cat|dog)s?");
        CHECK((a == "cat" || a == "dog" || a == "cats" || a == "dogs"));
        std::string n = gen("[^a-y]");
        CHECK((n.size() != 1 || (n[0] < 'a' || n[0] > 'y')));
        CHECK(gen("x{2,}").size() <= 6);  // unbounded: at most 4 more than the minimum
    }
    for (const char* outside : {"\\p{Greek}", "\\pL", "[[:^alpha:]]", "[[:nope:]]", "\\Qa\\E", "\\C"}) {
        auto g = spec::RegexGenerator::compile(outside);
        INFO("pattern: " << outside);
        REQUIRE_FALSE(g.ok());
        CHECK(g.error().code == "0A000");
    }
}

TEST_CASE("spec generate: errors", "[spec][generate]") {
    // [:fn] alone cannot be generated
    auto fn = spec::generate(*S("[:fn \"even\"]"), 1, 1, {}, even);
    REQUIRE_FALSE(fn.ok());
    CHECK(fn.error().code == "0A000");
    CHECK_FALSE(fn.error().hint.empty());
    CHECK(spec::generate(*S("[:and [:fn \"even\"] [:fn \"even\"]]"), 1, 1, {}, even).error().code == "0A000");
    // combined with a generatable schema it can, keeping what the callback accepts
    auto evens = spec::generate(*S("[:and :int [:fn \"even\"]]"), 20, 1, {}, even);
    REQUIRE(evens.ok());
    for (const auto& v : evens.value()) CHECK(vref(v).as_int() % 2 == 0);
    // ... but only with a callback
    CHECK(spec::generate(*S("[:and :int [:fn \"even\"]]"), 1, 1).error().code == "0A000");
    // contradictions: 22023 after bounded retries
    CHECK(spec::generate(*S("[:and [:int {:min 5}] [:int {:max 1}]]"), 1, 1).error().code == "22023");
    CHECK(spec::generate(*S("[:not :any]"), 1, 1).error().code == "22023");
    CHECK(spec::generate(*S("[:set {:min 3} :boolean]"), 1, 1).error().code == "22023");
    CHECK(spec::generate(*S("[:re \"\\\\p{Greek}{20}[0-9]{5}\"]"), 1, 1).error().code == "22023");
    // recursion without a way out: 54000
    Registry reg;
    reg.define("inf", "[:map [:next [:ref :inf]]]");
    auto inf = spec::generate(*S("[:ref :inf]"), 1, 1, reg.resolver());
    REQUIRE_FALSE(inf.ok());
    CHECK(inf.error().code == "54000");
    CHECK(spec::generate(*S("[:ref :missing]"), 1, 1, reg.resolver()).error().code == "42704");
    // collections too large to build
    CHECK(spec::generate(*S("[:vector {:min 1000000} :int]"), 1, 1).error().code == "54000");
    CHECK(spec::generate(*S(":int"), 0, 1).value().empty());
}
