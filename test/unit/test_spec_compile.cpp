// compile(): every schema kind compiles; every malformed schema is 22P02 (or 54000) with
// the schema path of the bad part in the message.
#include "persistence/hash/sha256.hpp"
#include "spec_helpers.hpp"

using namespace spec_test;

namespace {

// The error must have `code` and its message must start with "invalid schema at PATH: ".
void rejects(const std::string& schema, const std::string& path, const std::string& code = "22P02",
             const std::string& words = "") {
    core::Error e = compile_error(schema);
    INFO("schema: " << schema << "\nmessage: " << e.message);
    CHECK(e.code == code);
    CHECK(e.message.rfind("invalid schema at " + path + ": ", 0) == 0);
    if (!words.empty()) CHECK(e.message.find(words) != std::string::npos);
    CHECK_FALSE(e.hint.empty());
}

}  // namespace

TEST_CASE("spec compile: every schema kind", "[spec][compile]") {
    for (const char* s : {
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
             "[:int {:min 0 :max 10}]",
             "[:double {:min -1.5 :max 2}]",
             "[:number {:min 0}]",
             "[:string {:min 1 :max 80}]",
             "[:map [:a :int] [:b {:optional true} :string]]",
             "[:map {:closed true} [:a :int]]",
             "[:map-of :keyword :int]",
             "[:map-of {:min 1} :string :any]",
             "[:vector :int]",
             "[:vector {:max 3} :int]",
             "[:sequential :string]",
             "[:set :keyword]",
             "[:set {:min 1 :max 2} :int]",
             "[:tuple :int :string]",
             "[:tuple]",
             "[:enum :a :b :c]",
             "[:= 42]",
             "[:or :int :string]",
             "[:and :int [:int {:min 0}]]",
             "[:not :nil]",
             "[:maybe :string]",
             "[:re \"[a-z]+\"]",
             "[:multi {:dispatch :type} [:a [:map [:x :int]]] [:b :map]]",
             "[:ref :tree]",
             "[:ref \"agent/answer@3\"]",
             "[:fn \"app.is_even\"]",
             "[:fn app.is_even]",
             // malli's predicate symbols
             "int?",
             "integer?",
             "pos-int?",
             "neg-int?",
             "nat-int?",
             "string?",
             "keyword?",
             "nil?",
             "any?",
             "boolean?",
             "double?",
             "float?",
             "number?",
             "symbol?",
             "uuid?",
             "inst?",
             "map?",
             "vector?",
             "sequential?",
             "set?",
             "some?",
             // annotations are allowed anywhere
             "[:string {:title \"t\" :description \"d\" :doc \"x\" :ui/widget :text}]",
             "[:map [:a {:description \"the a\" :optional false} :int]]",
         }) {
        S(s);
    }
}

TEST_CASE("spec compile: a map as the only argument of := or :enum is the value", "[spec][compile]") {
    CHECK(ok(S("[:= {:a 1}]"), "{:a 1}"));
    CHECK(ok(S("[:enum {:a 1}]"), "{:a 1}"));
    CHECK(ok(S("[:enum {:title \"t\"} :x]"), ":x"));
}

TEST_CASE("spec compile: errors name the path of the bad part", "[spec][compile]") {
    rejects("42", "[]", "22P02", "a schema is a type keyword");
    rejects("[]", "[]", "22P02", "empty schema vector");
    rejects("[\"int\"]", "[]", "22P02", "starts with a type keyword");
    rejects(":integer", "[]", "22P02", "unknown schema type :integer");
    rejects("[:integer]", "[]", "22P02", "unknown schema type :integer");
    rejects("[:map [:a :integer]]", "[:map :a]", "22P02", "unknown schema type :integer");
    rejects("foo?", "[]", "22P02", "unknown predicate foo?");
    rejects(":vector", "[]", "22P02", "needs arguments");
    rejects("[:int :x]", "[:int]", "22P02", "takes only properties");
    // properties
    rejects("[:int {\"min\" 1}]", "[:int \"min\"]", "22P02", "property keys are keywords");
    rejects("[:int {:foo 1}]", "[:int :foo]", "22P02", "unknown property :foo of :int");
    rejects("[:string {:closed true}]", "[:string :closed]", "22P02", "unknown property :closed");
    rejects("[:map [:age [:int {:min \"x\"}]]]", "[:map :age :int :min]", "22P02",
            ":min of :int must be an integer");
    rejects("[:int {:max 1.5}]", "[:int :max]", "22P02", "must be an integer");
    rejects("[:double {:max \"x\"}]", "[:double :max]", "22P02", "must be a number");
    rejects("[:number {:min ##NaN}]", "[:number :min]", "22P02", "must be a number");
    rejects("[:string {:min -1}]", "[:string :min]", "22P02", "must not be negative");
    rejects("[:int {:min 5 :max 1}]", "[:int]", "22P02", ":min is greater than :max");
    rejects("[:vector {:min 3 :max 2} :int]", "[:vector]", "22P02", ":min is greater than :max");
    rejects("[:double {:min 1.5 :max 1}]", "[:double]", "22P02", ":min is greater than :max");
    rejects("[:map {:closed 1}]", "[:map :closed]", "22P02", ":closed must be true or false");
    // map entries
    rejects("[:map :a]", "[:map 0]", "22P02", "a map entry is [key schema]");
    rejects("[:map [:a :int] [:b {} :int :x]]", "[:map 1]", "22P02", "a map entry is");
    rejects("[:map [[1] :int]]", "[:map 0]", "22P02", "a map key must be");
    rejects("[:map [:a 1 :int]]", "[:map :a]", "22P02", "entry properties must be a map");
    rejects("[:map [:a {:opt true} :int]]", "[:map :a :opt]", "22P02", "unknown entry property :opt");
    rejects("[:map [:a {:optional 1} :int]]", "[:map :a :optional]", "22P02",
            ":optional must be true or false");
    rejects("[:map [:a :int] [:b :int] [:a :string]]", "[:map :a]", "22P02", "duplicate key :a");
    rejects("[:map [\"a\" [:vector]]]", "[:map \"a\" :vector]", "22P02", "takes exactly 1 child schema");
    // children
    rejects("[:map-of :int]", "[:map-of]", "22P02", "takes exactly 2 child schemas");
    rejects("[:map-of :foo :int]", "[:map-of :key]", "22P02", "unknown schema type :foo");
    rejects("[:map-of :int [:int {:x 1}]]", "[:map-of :value :int :x]");
    rejects("[:vector]", "[:vector]", "22P02", "takes exactly 1 child schema, got 0");
    rejects("[:set :int :int]", "[:set]", "22P02", "takes exactly 1 child schema, got 2");
    rejects("[:sequential {:min 1}]", "[:sequential]");
    rejects("[:maybe]", "[:maybe]");
    rejects("[:not :int :int]", "[:not]");
    rejects("[:tuple :int :bad]", "[:tuple 1]", "22P02", "unknown schema type :bad");
    rejects("[:or]", "[:or]", "22P02", "needs at least one child schema");
    rejects("[:and]", "[:and]");
    rejects("[:or :int [:vector]]", "[:or 1 :vector]");
    rejects("[:enum]", "[:enum]", "22P02", "needs at least one value");
    rejects("[:=]", "[:=]", "22P02", "takes exactly 1 value");
    rejects("[:= 1 2]", "[:=]");
    // regular expressions
    rejects("[:re 1]", "[:re]", "22P02", "must be a string");
    rejects("[:re \"a\" \"b\"]", "[:re]", "22P02", "takes exactly 1 pattern string");
    rejects("[:map [:email [:re \"(\"]]]", "[:map :email :re]", "22P02", "invalid regular expression \"(\"");
    rejects("[:re \"a**\"]", "[:re]", "22P02", "invalid regular expression");
    rejects("[:re \"(a)\\\\1\"]", "[:re]", "22P02",
            "invalid regular expression");  // no backreferences in RE2
    // multi
    rejects("[:multi [:a :int]]", "[:multi]", "22P02", "needs properties with the dispatch key");
    rejects("[:multi {:dispatch [1]} [:a :int]]", "[:multi :dispatch]", "22P02",
            ":dispatch must be a map key");
    rejects("[:multi {:dispatch :t}]", "[:multi]", "22P02", "needs at least one branch");
    rejects("[:multi {:dispatch :t} :a]", "[:multi 0]", "22P02", "a [:multi] branch is");
    rejects("[:multi {:dispatch :t} [:a :map] [:a :map]]", "[:multi :a]", "22P02",
            "duplicate dispatch value :a");
    rejects("[:multi {:dispatch :t} [:a [:map [:x :nope]]]]", "[:multi :a :map :x]");
    rejects("[:multi {:dispatch :t} [:malli.core/default :map] [:malli.core/default :map]]",
            "[:multi :malli.core/default]", "22P02", "duplicate default branch");
    // ref and fn
    rejects("[:ref 1]", "[:ref]", "22P02", "[:ref] takes a spec name");
    rejects("[:ref \"\"]", "[:ref]", "22P02", "empty spec name");
    rejects("[:ref :a :b]", "[:ref]", "22P02", "takes exactly 1 spec name");
    rejects("[:fn :x]", "[:fn]", "22P02", "[:fn] takes a function name");
}

TEST_CASE("spec compile: limits are 54000", "[spec][compile]") {
    std::string deep;
    for (int i = 0; i < 300; ++i) deep += "[:vector ";
    deep += ":int";
    for (int i = 0; i < 300; ++i) deep += "]";
    core::Error e = compile_error(deep);
    CHECK(e.code == "54000");
    CHECK(e.message.find("nested deeper than 200 levels") != std::string::npos);
    spec::CompileOptions small;
    small.max_depth = 400;
    CHECK(spec::compile_text(deep, small).ok());

    // An RE2 program beyond the memory budget.
    spec::CompileOptions tight;
    tight.regex_max_mem = 1 << 14;
    core::Error big = compile_error("[:re \".{1000}\"]", tight);
    CHECK(spec::compile_text("[:re \".{1000}\"]").ok());  // within the default 1 MiB
    INFO(big.message);
    CHECK(big.code == "54000");
    CHECK(big.message.find("too large") != std::string::npos);
}

TEST_CASE("spec compile: huge enums and many keys", "[spec][compile]") {
    std::string e = "[:enum";
    for (int i = 0; i < 50000; ++i) e += " :k" + std::to_string(i);
    e += "]";
    auto s = S(e);
    CHECK(ok(s, ":k49999"));
    CHECK(ok(s, ":k0"));
    CHECK_FALSE(ok(s, ":k50000"));
    CHECK(llm(s, ":zz").find("... (50000 in all)") != std::string::npos);

    std::string m = "[:map {:closed true}";
    for (int i = 0; i < 2000; ++i) m += " [:k" + std::to_string(i) + " :int]";
    m += "]";
    auto ms = S(m);
    std::string v = "{";
    for (int i = 0; i < 2000; ++i) v += ":k" + std::to_string(i) + " " + std::to_string(i) + " ";
    CHECK(ok(ms, v + "}"));
    CHECK(problems(ms, v + ":extra 1}") == std::vector<std::string>{"extra-key"});
}

TEST_CASE("spec compile: refs, functions and the fingerprint", "[spec][compile]") {
    auto s =
        S("[:map [:a [:ref :tree]] [:b [:ref \"x@2\"]] [:c [:ref :tree]] [:d [:fn \"f.g\"]] [:e [:and :int "
          "[:fn \"a.b\"]]]]");
    CHECK(s->refs() == std::vector<std::string>{"tree", "x@2"});
    CHECK(s->functions() == std::vector<std::string>{"a.b", "f.g"});

    std::string bytes = rd("[:int {:min 1 :max 2}]");
    auto a = S("[:int {:min 1 :max 2}]");
    auto b = S("[:int {:max 2, :min 1}]");  // the same EDN value
    auto c = S("[:int {:max 3 :min 1}]");
    CHECK(a->fingerprint() == b->fingerprint());
    CHECK(a->fingerprint() != c->fingerprint());
    CHECK(a->fingerprint() == persistence::hash::sha256(bytes.data(), bytes.size()));
    CHECK(spec::fingerprint(vref(bytes)) == a->fingerprint());
    CHECK(edn::to_string(a->schema()) == "[:int {:max 2 :min 1}]");
}
