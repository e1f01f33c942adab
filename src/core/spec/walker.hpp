// The validator: one recursive walk over a compiled spec and a value, in two modes.
// Private to src/core/spec.
//
// valid() runs it without collecting: it stops at the first problem and keeps no paths,
// so a conforming scalar or map costs no allocation. validate(), explain() and
// explain_for_llm() run it collecting: it keeps the schema and value paths and records
// RawProblems (views into the spec and the value) until max_problems.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <vector>

#include "compiled.hpp"

namespace persistence::spec::detail {

// One step of a schema path or a value path.
struct Seg {
    enum class T : uint8_t { kind, value, member, index, keyword };
    T t;
    Kind kind = Kind::any;  // kind: the schema type entered
    edn::ValueRef v;        // value: a map key, dispatch value or spec name; member: a set member
    int64_t i = 0;          // index: a vector index or a child position
    const char* text = "";  // keyword: :key / :value of [:map-of]

    static Seg of_kind(Kind k) { return Seg{T::kind, k, {}, 0, ""}; }
    static Seg of_value(edn::ValueRef v) { return Seg{T::value, Kind::any, v, 0, ""}; }
    static Seg of_member(edn::ValueRef v) { return Seg{T::member, Kind::any, v, 0, ""}; }
    static Seg of_index(int64_t i) { return Seg{T::index, Kind::any, {}, i, ""}; }
    static Seg of_keyword(const char* k) { return Seg{T::keyword, Kind::any, {}, 0, k}; }
};

struct RawProblem {
    ProblemKind kind;
    std::vector<Seg> path, in;
    const Compiled* spec = nullptr;
    const Node* node = nullptr;   // the sub-schema that rejected the value (missing-key: the entry's)
    const Node* owner = nullptr;  // missing-key / extra-key: the [:map] or [:multi]
    edn::ValueRef value;          // the offending value (null data() for missing-key)
    edn::ValueRef key;            // missing-key / extra-key: the key
    bool in_key = false;          // raised while checking a [:map-of] key
};

// A number of any EDN numeric type as a double (bounds checks only).
double number_value(edn::ValueRef v);
bool is_number(edn::ValueRef v);

class Walker {
   public:
    Walker(const Options& options, bool collect);

    // True when v conforms. False when it does not, or on an error (then failed()).
    bool check(const Compiled& c, uint32_t node, edn::ValueRef v);
    // Whether v conforms, without recording problems (for :or, :not, :maybe, coerce).
    bool probe(const Compiled& c, uint32_t node, edn::ValueRef v);

    // The work a walk may do: every check() is a step, and a walk stops with 54000 after
    // step_base + step_per_byte × (bytes of the whole value) steps. Recursive specs with
    // [:or] can otherwise take time exponential in the value's depth. Set from the value of
    // the first check() unless called before it.
    void budget_for(edn::ValueRef whole);
    uint64_t steps() const { return steps_; }

    bool failed() const { return !error_.code.empty(); }
    const core::Error& error() const { return error_; }
    const std::vector<RawProblem>& problems() const { return problems_; }
    bool truncated() const { return truncated_; }
    // The spec behind a [:ref] node, resolved once per walk (null after an error).
    const Compiled* resolve(const Node& n);
    const Options& options() const { return o_; }

   private:
    bool fail(core::Error e);
    bool too_deep();
    bool too_long();
    bool report(ProblemKind k, const Compiled& c, const Node& n, edn::ValueRef v);
    bool report_key(ProblemKind k, const Compiled& c, const Node& n, const Node& owner, edn::ValueRef key,
                    edn::ValueRef in_key, edn::ValueRef v);
    bool stop() const { return !collect_ || stopped_; }

    bool dispatch(const Compiled& c, const Node& n, edn::ValueRef v);
    bool check_int(const Compiled& c, const Node& n, edn::ValueRef v);
    bool check_real(const Compiled& c, const Node& n, edn::ValueRef v);
    bool check_count(const Compiled& c, const Node& n, edn::ValueRef v, uint64_t count);
    bool check_map(const Compiled& c, const Node& n, edn::ValueRef v);
    bool check_map_of(const Compiled& c, const Node& n, edn::ValueRef v);
    bool check_items(const Compiled& c, const Node& n, edn::ValueRef v);
    bool check_tuple(const Compiled& c, const Node& n, edn::ValueRef v);
    bool check_or(const Compiled& c, const Node& n, edn::ValueRef v);
    bool check_multi(const Compiled& c, const Node& n, edn::ValueRef v);
    bool check_ref(const Node& n, edn::ValueRef v);
    bool check_fn(const Compiled& c, const Node& n, edn::ValueRef v);

    const Options& o_;
    bool collect_;
    bool stopped_ = false;
    bool truncated_ = false;
    bool in_key_ = false;
    uint32_t depth_ = 0;
    uint32_t max_depth_;
    uint64_t steps_ = 0, budget_ = 0;
    core::Error error_;
    std::vector<Seg> path_, in_;
    std::vector<RawProblem> problems_;
    struct Resolved {
        const Node* node;
        SpecPtr spec;
    };
    std::vector<Resolved> resolved_;
};

inline constexpr uint64_t step_base = 4000000;
inline constexpr uint64_t step_per_byte = 32;

// Whether a value has the base type a schema asks for (a map for [:map], a string for
// [:re], ...): used to pick the [:or] branch whose problems are worth reporting.
bool accepts_type(const Compiled& c, const Node& n, edn::ValueRef v, bool json);

// The [:map] entry named by a key (in json mode also by the string twin of its keyword).
const Entry* find_entry(const Compiled& c, const Node& map, edn::ValueRef key, bool json);

// Finds a map entry's value by key, trying the string twin of a keyword key in json mode.
std::optional<edn::ValueRef> lookup(const Compiled& c, edn::ValueRef map, edn::ValueRef key,
                                    uint32_t json_key, bool json, edn::ValueRef* found_key = nullptr);

}  // namespace persistence::spec::detail
