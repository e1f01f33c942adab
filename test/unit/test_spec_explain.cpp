// explain() and explain_for_llm(): golden outputs for a realistic agent-output schema, in
// EDN and in json mode (through coerce), and the location format. These strings are the
// documented format (docs/spec.md); a change here is a change of the contract.
#include "spec_helpers.hpp"

using namespace spec_test;

namespace {

// What an agent is asked to return for a task: nested map, enums, a vector of maps,
// a regex, bounds, optional keys.
const char* const task_schema = R"([:map {:closed true}
 [:summary [:string {:min 1 :max 80}]]
 [:priority [:enum :low :medium :high]]
 [:assignee [:map
             [:name [:string {:min 1}]]
             [:email [:re "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}"]]]]
 [:tags {:optional true} [:vector {:max 5} :keyword]]
 [:steps [:vector {:min 1}
          [:map
           [:id pos-int?]
           [:action [:enum :search :read :write]]
           [:args [:map-of :keyword :any]]]]]
 [:confidence [:double {:min 0 :max 1}]]
 [:due {:optional true} [:maybe :inst]]])";

const char* const good_task = R"({:summary "Book the venue for the offsite" :priority :high
 :assignee {:name "Ann" :email "ann@example.org"} :tags [:ops]
 :steps [{:id 1 :action :search :args {:q "venues"}} {:id 2 :action :write :args {}}]
 :confidence 0.8 :due #inst "2026-05-01T09:00:00Z"})";

const char* const bad_task =
    R"({:summary "Book the venue for the offsite, then send every attendee an invitation with the agenda attached"
 :priority :urgent :assignee {:name "" :mail "ann@example.org"}
 :steps [{:id 0 :action :search :args {:q "venues"}} {:id 2 :action :delete :args {"q" 1}}]
 :confidence 1.2 :notes "call Bob"})";

}  // namespace

TEST_CASE("spec explain: golden output for the task schema", "[spec][explain]") {
    auto s = S(task_schema);
    CHECK(ok(s, good_task));
    CHECK(explained(s, good_task) == "[]");
    CHECK(llm(s, good_task) == "");
    std::string whole = edn::to_string(vref(rd(task_schema)));
    CHECK(
        explained(s, bad_task) ==
        "[{:in [:summary] :path [:map :summary :string] :problem :too-large :schema [:string {:max 80 :min "
        "1}] "
        ":value \"Book the venue for the offsite, then send every attendee an invitation with the agenda "
        "attached\"} "
        "{:in [:priority] :path [:map :priority :enum] :problem :not-in-enum :schema [:enum :low :medium "
        ":high] "
        ":value :urgent} "
        "{:in [:assignee :name] :path [:map :assignee :map :name :string] :problem :too-small :schema "
        "[:string "
        "{:min 1}] :value \"\"} "
        "{:in [:assignee :email] :path [:map :assignee :map :email] :problem :missing-key :schema [:re "
        "\"[^@\\\\s]+@[^@\\\\s]+\\\\.[a-z]{2,}\"]} "
        "{:in [:steps 0 :id] :path [:map :steps :vector :map :id :int] :problem :too-small :schema pos-int? "
        ":value 0} "
        "{:in [:steps 1 :action] :path [:map :steps :vector :map :action :enum] :problem :not-in-enum "
        ":schema "
        "[:enum :search :read :write] :value :delete} "
        "{:in [:steps 1 :args \"q\"] :path [:map :steps :vector :map :args :map-of :key :keyword] :problem "
        ":wrong-type :schema :keyword :value \"q\"} "
        "{:in [:confidence] :path [:map :confidence :double] :problem :too-large :schema [:double {:max 1 "
        ":min "
        "0}] :value 1.2} "
        "{:in [:notes] :path [:map] :problem :extra-key :schema " +
            whole + " :value \"call Bob\"}]");
}

TEST_CASE("spec explain_for_llm: golden output for the task schema", "[spec][llm]") {
    auto s = S(task_schema);
    CHECK(
        llm(s, bad_task) ==
        R"(at .summary: expected a string of 1 to 80 characters, got "Book the venue for the offsite, then send every attendee... (95 characters); make it at most 80 characters
at .priority: expected one of :low :medium :high, got :urgent; use one of :low :medium :high
at .assignee.name: expected a string of at least 1 character, got "" (0 characters); make it at least 1 character
at .assignee.email: expected a string matching "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}", got nothing; add the required key :email (a string matching "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}")
at .steps[0].id: expected an integer of at least 1, got 0; make it at least 1
at .steps[1].action: expected one of :search :read :write, got :delete; use one of :search :read :write
at .steps[1].args["q"] (key): expected a keyword, got "q"; replace it with a keyword
at .confidence: expected a double between 0 and 1, got 1.2; make it at most 1
at .notes: expected only the keys :summary :priority :assignee :tags :steps :confidence :due, got the extra key :notes; remove the key :notes
9 problems; fix them and resend the whole value.)");
}

TEST_CASE("spec explain_for_llm: golden output in json mode, through coerce", "[spec][llm][coerce]") {
    auto s = S(task_schema);
    // What a model emitting JSON sends (as the jsonb → edn cast reads it: string keys,
    // decimals for fractional numbers).
    core::Error e = coerce_error(s, R"({"summary" "" "priority" "urgent"
        "assignee" {"name" "Ann" "email" "ann at example"}
        "steps" [{"id" "1" "action" "read" "args" {"q" "x"}} {"id" 0 "action" "search" "args" []}]
        "confidence" 0.8M "due" "next week" "extra" [1 2 3]})",
                                 json());
    CHECK(e.code == "22023");
    CHECK(e.message == "value does not conform to the spec");
    CHECK(e.hint == "DETAIL lists each problem with its fix; correct the value and send all of it again.");
    CHECK(
        e.detail ==
        R"(at .summary: expected a string of 1 to 80 characters, got "" (0 characters); make it at least 1 character
at .priority: expected one of "low" "medium" "high", got "urgent"; use one of "low" "medium" "high"
at .assignee.email: expected a string matching "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}", got "ann at example"; change it to match "[^@\\s]+@[^@\\s]+\\.[a-z]{2,}"
at .steps[1].id: expected an integer of at least 1, got 0; make it at least 1
at .steps[1].args: expected an object (keys: a keyword; values: any value), got []; replace it with an object (keys: a keyword; values: any value)
at .due: expected an RFC 3339 timestamp string such as "2026-01-31T09:30:00Z" or null, got "next week"; replace it with an RFC 3339 timestamp string such as "2026-01-31T09:30:00Z" or null
at .extra: expected only the keys "summary" "priority" "assignee" "tags" "steps" "confidence" "due", got the extra key "extra"; remove the key "extra"
7 problems; fix them and resend the whole value.)");
    // The repaired value converts and conforms.
    CHECK(coerced(s, R"({"summary" "Book the venue" "priority" "high"
        "assignee" {"name" "Ann" "email" "ann@example.org"} "tags" ["ops" "q3"]
        "steps" [{"id" "1" "action" "read" "args" {"q" "x"}}] "confidence" 1 "due" "2026-05-01T09:00:00Z"})",
                  json()) ==
          "{:assignee {:email \"ann@example.org\" :name \"Ann\"} :confidence 1.0 :due #inst "
          "\"2026-05-01T09:00:00.000Z\" :priority :high :steps [{:action :read :args {:q \"x\"} :id 1}] "
          ":summary "
          "\"Book the venue\" :tags [:ops :q3]}");
}

TEST_CASE("spec explain_for_llm: every problem kind", "[spec][llm]") {
    auto s =
        S(R"([:map [:when :inst] [:id :uuid] [:k :keyword] [:b :boolean] [:x [:not :string]] [:y [:= "ok"]]
                  [:w [:or :int :string]] [:v [:or [:int {:max 0}] [:int {:min 10}]]] [:t [:tuple :int :int]]
                  [:s [:sequential {:max 1} :int]] [:mo [:map-of {:min 1} :keyword :int]]
                  [:sh [:multi {:dispatch :type} [:circle [:map [:r :double]]] [:square [:map [:side :int]]]]]
                  [:f [:fn "app.even"]] [:m [:maybe [:vector :int]]] [:sp [:multi {:dispatch :type} [:a :map]]]])");
    spec::Options o;
    o.predicate = [](std::string_view, edn::ValueRef) -> core::Result<bool> { return false; };
    o.max_problems = 100;
    CHECK(llm(s, R"({:when "2026" :id 1 :k "k" :b "true" :x "s" :y "no" :w :kw :v 5 :t [1 2 3] :s (1 2) :mo {}
                    :sh {:type :tri} :f 3 :m "v" :sp {}})",
              o) ==
          R"(at .when: expected an #inst instant, got "2026"; replace it with an #inst instant
at .id: expected a UUID, got 1; replace it with a UUID
at .k: expected a keyword, got "k"; replace it with a keyword
at .b: expected a boolean, got "true"; replace it with a boolean
at .x: expected anything except a string, got "s"; replace it with anything except a string
at .y: expected exactly "ok", got "no"; use exactly "ok"
at .w: expected an integer or a string, got :kw; replace it with an integer or a string
at .v: expected an integer of at most 0 or an integer of at least 10, got 5; replace it with an integer of at most 0 or an integer of at least 10
at .t: expected a vector of exactly 2 items (an integer, an integer), got [1 2 3] (3 items); give exactly 2 items
at .s: expected a vector or list of at most 1 item (items: an integer), got (1 2) (2 items); give at most 1 item
at .mo: expected a map of at least 1 entry (keys: a keyword; values: an integer), got {} (0 entries); give at least 1 entry
at .sh.type: expected one of :circle :square, got :tri; use one of :circle :square
at .f: expected a value accepted by app.even, got 3; change it so that app.even accepts it
at .m: expected a vector (items: an integer) or nil, got "v"; replace it with a vector (items: an integer) or nil
at .sp.type: expected one of :a, got nothing; add the required key :type (one of :a)
15 problems; fix them and resend the whole value.)");
}

TEST_CASE("spec explain_for_llm: locations", "[spec][llm]") {
    auto s = S(R"([:map [:a.b :int] ["first name" :string] [3 :int] [:tags [:set :int]]
                  [:pt [:tuple :int [:vector :int]]] [:m [:map-of :string [:vector :int]]] [:ns/k :int]])");
    CHECK(
        llm(s, R"({:a.b "x" "first name" 1 3 "y" :tags #{"t"} :pt [1 [2 "z"]] :m {"k" [1 :q]} :ns/k nil})") ==
        R"(at [:a.b]: expected an integer, got "x"; replace it with an integer
at ["first name"]: expected a string, got 1; replace it with a string
at [3]: expected an integer, got "y"; replace it with an integer
at .tags#{"t"}: expected an integer, got "t"; replace it with an integer
at .pt[1][1]: expected an integer, got "z"; replace it with an integer
at .m["k"][1]: expected an integer, got :q; replace it with an integer
at .ns/k: expected an integer, got nil; replace it with an integer
7 problems; fix them and resend the whole value.)");
    // json mode: string keys read as names; "first name" still needs brackets
    CHECK(llm(s, R"({"a.b" 1 "first name" 1 3 1 "tags" #{} "pt" [1 []] "m" {} "ns/k" 1})", json()) ==
          R"(at ["first name"]: expected a string, got 1; replace it with a string
1 problem; fix it and resend the whole value.)");
    CHECK(llm(S("[:vector :int]"), "\"str\"") ==
          "at top level: expected a vector (items: an integer), got \"str\"; replace it with a vector "
          "(items: an "
          "integer)\n1 problem; fix it and resend the whole value.");
    CHECK(llm(S("[:vector :int]"), "\"str\"", json()) ==
          "at top level: expected an array (items: an integer), got \"str\"; replace it with an array "
          "(items: an "
          "integer)\n1 problem; fix it and resend the whole value.");
}

TEST_CASE("spec explain_for_llm: the summary line and truncation", "[spec][llm]") {
    auto s = S("[:vector :int]");
    spec::Options o;
    o.max_problems = 2;
    CHECK(llm(s, "[:a :b :c]", o) ==
          "at [0]: expected an integer, got :a; replace it with an integer\n"
          "at [1]: expected an integer, got :b; replace it with an integer\n"
          "more than 2 problems (the first 2 are listed); fix them and resend the whole value.");
    CHECK(llm(s, "[:a :b]", o) ==
          "at [0]: expected an integer, got :a; replace it with an integer\n"
          "at [1]: expected an integer, got :b; replace it with an integer\n"
          "2 problems; fix them and resend the whole value.");
    // received values are cut to 60 characters
    std::string big = "[";
    for (int i = 0; i < 1000; ++i) big += "\"abcdefghij\" ";
    big += "]";
    std::string text = llm(S(":map"), big);
    CHECK(text ==
          "at top level: expected a map, got [\"abcdefghij\" \"abcdefghij\" \"abcdefghij\" \"abcdefghij\" "
          "\"abc...; "
          "replace it with a map\n1 problem; fix it and resend the whole value.");
    // explain (not _for_llm) keeps the whole value
    CHECK(explained(S(":map"), big).size() > 13000);
}

TEST_CASE("spec explain_for_llm: json rendering of values", "[spec][llm]") {
    auto s = S("[:map [:a :int]]");
    CHECK(
        llm(s, R"({"a" {"x" [nil true 1.5M 2 :kw #{1}] "y" #uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"}})",
            json()) ==
        R"(at .a: expected an integer, got {"x": [null, true, 1.5, 2, "kw", [1]], "y": "f81d4fae-7de...; replace it with an integer
1 problem; fix it and resend the whole value.)");
}

TEST_CASE("spec explain_for_llm: descriptions of large schemas stay short", "[spec][llm]") {
    CHECK(llm(S("[:or :int :string :keyword :nil :boolean :uuid :inst :symbol]"), "[]") ==
          "at top level: expected an integer, a string, a keyword, nil, a boolean, a UUID, ... (one of 8 "
          "alternatives), got []; replace it with an integer, a string, a keyword, nil, a boolean, a UUID, ... (one "
          "of 8 alternatives)\n1 problem; fix it and resend the whole value.");
    std::string s = "[:not [:and :int";
    for (int i = 0; i < 100; ++i) s += " [:int {:min " + std::to_string(i) + "}]";
    s += "]]";
    std::string text = llm(S(s), "200");
    INFO(text);
    CHECK(text.size() < 750);
    CHECK(text.rfind("at top level: expected anything except an integer that is also an integer of at least 0 that is "
                     "also an integer of at least 1",
                     0) == 0);
    CHECK(text.find("..., got 200; replace it with anything except an integer") != std::string::npos);
}
