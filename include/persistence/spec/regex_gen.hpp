// Strings that match a regular expression, for spec::generate() of [:re] (RE2 only
// matches). Supports a documented subset of RE2 syntax (docs/spec.md, "generate"):
//   literals (any UTF-8), escapes \. \\ \n \t \r \f \v \xHH \x{H..}, classes [a-z0-9_] and
//   [^...] with POSIX names inside ([[:alpha:]]), \d \w \s \D \W \S, ., groups (...) (?:...) (?P<name>...),
//   alternation |, quantifiers ? * + {m} {m,} {m,n} (lazy forms too), anchors and assertions ^ $ \A \z \b \B
//   (generated as nothing), flags (?i) (?s:...) (ignored).
// Unbounded quantifiers draw at most 4 repetitions beyond their minimum, bounded ones at
// most 8. Candidates are not guaranteed to match (an assertion that does not hold, a
// flag that changes meaning): the caller checks each with RE2. Anything else (\p{..},
// \pL, negated POSIX classes, \C, \Q...\E) is outside the subset: compile() returns
// 0A000 naming it, and generate() samples candidate strings instead (spec/generate.cpp).
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <memory>
#include <string>
#include <string_view>

#include "persistence/core/error.hpp"
#include "persistence/spec/random.hpp"

namespace persistence::spec {

class RegexGenerator {
   public:
    struct Node;
    static core::Result<std::shared_ptr<const RegexGenerator>> compile(std::string_view pattern);
    // A candidate: usually a match, but not always (anchors in the middle, a negated class
    // that excludes all of printable ASCII); callers verify with RE2. False when a
    // candidate could not be built at all.
    bool generate(Rng& rng, std::string& out) const;

    ~RegexGenerator();
    explicit RegexGenerator(std::unique_ptr<Node> root);

   private:
    std::unique_ptr<Node> root_;
};

}  // namespace persistence::spec
