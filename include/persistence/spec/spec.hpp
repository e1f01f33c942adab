// Specs: malli-style schemas written in EDN, compiled once, then used to check, explain,
// coerce and generate values (docs/spec.md; DESIGN.md §7).
//
// The API the SQL side calls (every function is pure: no PostgreSQL, no globals):
//
//   compile(schema) -> Result<shared_ptr<const Spec>>   22P02 with the schema path of the bad part,
//                                                       54000 for a schema nested too deeply or a
//                                                       regex too large
//   fingerprint(schema) / Spec::fingerprint()          SHA-256 of the canonical schema bytes: the
//                                                       key of a per-backend cache of compiled specs
//   valid(spec, value, options)    -> Result<bool>      stops at the first problem; no allocation on
//                                                       the happy path (scalars, maps, vectors)
//   validate(spec, value, options) -> Result<Report>    every problem, up to options.max_problems
//   explain(spec, value, options)  -> Result<string>    encoded EDN: [{:path :in :schema :value :problem}]
//   explain_for_llm(spec, value, options) -> Result<string>
//                                                       one line per problem + a summary; "" if valid
//   coerce(spec, value, options)   -> Result<string>    encoded EDN; 22023 (DETAIL = explain_for_llm
//                                                       text) when the result does not conform
//   generate(spec, n, seed, resolver, predicate) -> Result<vector<string>>
//                                                       deterministic conforming values; 0A000 for
//                                                       [:fn] alone, 22023 when no value was found
//
// Callbacks, both optional (a missing one is an error only when the spec needs it):
//   Resolver  (name)          -> Result<shared_ptr<const Spec>>   for [:ref name]; called lazily
//             during validation (so specs may be recursive or defined in any order) and at
//             most once per [:ref] node per call. 42704 when absent or returning null.
//   Predicate (function, v)   -> Result<bool>                     for [:fn "schema.function"]
// Errors from a callback are returned unchanged. Recursion (values, :ref chains) is bounded
// by Options::max_depth, and work by a step budget proportional to the value's size
// (docs/spec.md): beyond either every entry point returns 54000.
//
// Lifetimes: a Spec is immutable and may be shared; nothing returned refers into the
// value or the spec (encoded results are owned strings).
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/core/error.hpp"
#include "persistence/edn/value.hpp"
#include "persistence/hash/sha256.hpp"

namespace persistence::spec {

namespace detail {
struct Compiled;
}

// SQLSTATEs specific to specs (the shared ones are in core::sqlstate).
namespace sqlstate {
inline constexpr const char* undefined_object = "42704";       // [:ref] to an unknown spec
inline constexpr const char* feature_not_supported = "0A000";  // generate for [:fn]
}  // namespace sqlstate

class Spec;
using SpecPtr = std::shared_ptr<const Spec>;
using Resolver = std::function<core::Result<SpecPtr>(std::string_view name)>;
using Predicate = std::function<core::Result<bool>(std::string_view function, edn::ValueRef value)>;

// Limits of compile(); both return 54000 when exceeded.
struct CompileOptions {
    uint32_t max_depth = 200;         // nesting of the schema itself
    int64_t regex_max_mem = 1 << 20;  // RE2 memory budget per [:re] (bytes)
};

// A compiled schema. Immutable; share it through SpecPtr.
class Spec {
   public:
    ~Spec();
    Spec(const Spec&) = delete;
    Spec& operator=(const Spec&) = delete;

    // The schema as given, canonical encoded EDN (stable for the Spec's lifetime).
    edn::ValueRef schema() const;
    const hash::Digest& fingerprint() const;
    // Names used by [:ref ...] anywhere in the schema, sorted, without duplicates: the
    // registry can check them, or resolve them ahead of time.
    const std::vector<std::string>& refs() const;
    // Function names used by [:fn ...], sorted, without duplicates.
    const std::vector<std::string>& functions() const;

    const detail::Compiled& compiled() const { return *c_; }

   private:
    friend core::Result<SpecPtr> compile(edn::ValueRef, const CompileOptions&);
    explicit Spec(std::unique_ptr<detail::Compiled> c);
    std::unique_ptr<detail::Compiled> c_;
};

core::Result<SpecPtr> compile(edn::ValueRef schema, const CompileOptions& options = {});
// Reads the EDN text first (the reader's errors are returned unchanged).
core::Result<SpecPtr> compile_text(std::string_view schema_text, const CompileOptions& options = {});

// SHA-256 of the encoded schema bytes: equal schemas (as EDN values) have equal
// fingerprints, so the caller can key a cache before compiling.
hash::Digest fingerprint(edn::ValueRef schema);

struct Options {
    // The value came from jsonb: a map-schema keyword key :n also matches the string key
    // "n" ([:multi]'s dispatch key too), :double accepts any JSON number (integers and
    // decimals), and explain_for_llm speaks JSON (objects, arrays, null, "strings").
    // Strings never match :keyword :symbol :uuid :inst or keyword [:enum]/[:=] members
    // here: coerce() converts them.
    bool json_keys = false;
    // validate/explain/explain_for_llm stop after this many problems (at least 1).
    uint32_t max_problems = 20;
    // Recursion bound over value nesting and [:ref] chains (54000 beyond; at most 10000).
    uint32_t max_depth = 1000;
    Resolver resolver;
    Predicate predicate;
};

enum class ProblemKind : uint8_t {
    missing_key,       // a required map key is absent
    extra_key,         // a key that a {:closed true} map does not name
    wrong_type,        // the value is not of the type the schema asks for
    too_small,         // below :min (a number, or a length/count)
    too_large,         // above :max
    wrong_count,       // a [:tuple] with the wrong number of items
    not_in_enum,       // not one of [:enum ...]
    not_equal,         // not [:= v]
    no_match,          // several [:or] branches take the type, none matches
    regex_mismatch,    // a string that [:re] does not match
    invalid_dispatch,  // [:multi]: the dispatch value selects no branch
    fn_false,          // [:fn] predicate returned false
    not_allowed,       // [:not s] and the value matches s
};
// The problem keyword's text without ':' ("missing-key", ...).
const char* problem_name(ProblemKind k);

struct Problem {
    ProblemKind kind;
    std::string path;    // encoded EDN vector: the schema path (docs/spec.md, "Paths")
    std::string in;      // encoded EDN vector: the value path (map keys, indexes, set members)
    std::string schema;  // encoded EDN: the sub-schema, as written
    std::string value;   // encoded EDN: the offending value; empty for :missing-key
};

struct Report {
    std::vector<Problem> problems;  // in deterministic order (docs/spec.md)
    bool truncated = false;         // stopped at Options::max_problems
    bool ok() const { return problems.empty(); }
};

core::Result<bool> valid(const Spec& spec, edn::ValueRef value, const Options& options = {});
core::Result<Report> validate(const Spec& spec, edn::ValueRef value, const Options& options = {});
// Encoded EDN: a vector of {:path :in :schema :value :problem}; [] when valid.
core::Result<std::string> explain(const Spec& spec, edn::ValueRef value, const Options& options = {});
// Lines for a language model (format pinned in docs/spec.md); "" when valid.
core::Result<std::string> explain_for_llm(const Spec& spec, edn::ValueRef value, const Options& options = {});

// Parse, don't validate: converts strings (and numbers) where the schema asks for another
// scalar type, string map keys into the keyword keys a [:map] names, JSON arrays into
// sets, and returns the encoded result. Fills nothing in. When the result does not
// conform: 22023, message "value does not conform to the spec", DETAIL the
// explain_for_llm text of the coerced value, and a hint.
core::Result<std::string> coerce(const Spec& spec, edn::ValueRef value, const Options& options = {});
// coerce()'s conversions without its final check: never an error for a value that does
// not conform (only limits and callbacks fail). The SQL functions that take jsonb check
// the converted value, since JSON cannot spell keywords, uuids or instants.
core::Result<std::string> convert(const Spec& spec, edn::ValueRef value, const Options& options = {});

// n conforming values, the same for the same (schema, n, seed) on every platform; the
// first k values do not depend on n. Errors: 0A000 for [:fn] outside [:and],
// 22023 when no conforming value was found within the retry bounds, 54000 for a
// recursive spec that cannot bottom out, plus the callbacks' errors.
core::Result<std::vector<std::string>> generate(const Spec& spec, size_t n, uint64_t seed,
                                                const Resolver& resolver = {},
                                                const Predicate& predicate = {});

}  // namespace persistence::spec
