// Shared by validate/explain (explain.cpp), explain_for_llm (llm.cpp) and coerce.
// Private to src/core/spec.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <string>

#include "walker.hpp"

namespace persistence::spec::detail {

// Runs a collecting walker over the whole value.
core::Status walk(const Spec& spec, edn::ValueRef value, Walker& w);
Problem to_problem(const RawProblem& p);

// The explain_for_llm text of a finished collecting walk; "" when it found nothing.
std::string llm_text(const Walker& w, bool json);

// Words for what a schema accepts ("an integer between 1 and 5", "one of :a :b"),
// describing children up to two levels down (describe.cpp).
std::string describe(const Compiled& c, const Node& n, bool json, int depth = 0);
// The members of an [:enum], or a [:multi]'s dispatch values, as written: ":a :b :c",
// at most 12 and then "... (N in all)".
std::string choices(const Node& n, bool json);
// " of at least 1 character", " between 0 and 1", "" when unbounded.
std::string bounds(const Node& n, bool json);
// The unit a length or count bound counts: "character"/"item"/"entry" (plural with s/ies).
std::string unit(const Node& n, uint64_t count);

}  // namespace persistence::spec::detail
