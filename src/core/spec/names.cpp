#include "compiled.hpp"

namespace persistence::spec {

namespace detail {

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::any:
            return "any";
        case Kind::nil:
            return "nil";
        case Kind::boolean:
            return "boolean";
        case Kind::int_:
            return "int";
        case Kind::double_:
            return "double";
        case Kind::number:
            return "number";
        case Kind::string:
            return "string";
        case Kind::keyword:
            return "keyword";
        case Kind::symbol:
            return "symbol";
        case Kind::uuid:
            return "uuid";
        case Kind::inst:
            return "inst";
        case Kind::map:
            return "map";
        case Kind::map_of:
            return "map-of";
        case Kind::vector:
            return "vector";
        case Kind::sequential:
            return "sequential";
        case Kind::set:
            return "set";
        case Kind::tuple:
            return "tuple";
        case Kind::enum_:
            return "enum";
        case Kind::equals:
            return "=";
        case Kind::or_:
            return "or";
        case Kind::and_:
            return "and";
        case Kind::not_:
            return "not";
        case Kind::maybe:
            return "maybe";
        case Kind::re:
            return "re";
        case Kind::multi:
            return "multi";
        case Kind::ref:
            return "ref";
        case Kind::fn:
            return "fn";
    }
    return "any";
}

}  // namespace detail

const char* problem_name(ProblemKind k) {
    switch (k) {
        case ProblemKind::missing_key:
            return "missing-key";
        case ProblemKind::extra_key:
            return "extra-key";
        case ProblemKind::wrong_type:
            return "wrong-type";
        case ProblemKind::too_small:
            return "too-small";
        case ProblemKind::too_large:
            return "too-large";
        case ProblemKind::wrong_count:
            return "wrong-count";
        case ProblemKind::not_in_enum:
            return "not-in-enum";
        case ProblemKind::not_equal:
            return "not-equal";
        case ProblemKind::no_match:
            return "no-match";
        case ProblemKind::regex_mismatch:
            return "regex-mismatch";
        case ProblemKind::invalid_dispatch:
            return "invalid-dispatch";
        case ProblemKind::fn_false:
            return "fn-false";
        case ProblemKind::not_allowed:
            return "not-allowed";
    }
    return "wrong-type";
}

}  // namespace persistence::spec
