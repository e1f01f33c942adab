#include "persistence/fact/model.hpp"

namespace persistence::fact {

namespace {

struct TypeName {
    ValueType type;
    const char* name;
};

// The names define_attribute() accepts (DESIGN.md §4.1); "int" is the integer type.
constexpr TypeName type_names[] = {
    {ValueType::any, "any"},         {ValueType::string, "string"},   {ValueType::integer, "int"},
    {ValueType::double_, "double"},  {ValueType::decimal, "decimal"}, {ValueType::boolean, "boolean"},
    {ValueType::keyword, "keyword"}, {ValueType::instant, "instant"}, {ValueType::uuid, "uuid"},
    {ValueType::ref, "ref"},         {ValueType::edn, "edn"},
};

}  // namespace

std::optional<ValueType> parse_value_type(std::string_view name) {
    for (const auto& t : type_names)
        if (name == t.name) return t.type;
    return std::nullopt;
}

const char* value_type_name(ValueType t) {
    for (const auto& n : type_names)
        if (n.type == t) return n.name;
    return "any";
}

std::optional<Unique> parse_unique(std::string_view name) {
    if (name == "identity") return Unique::identity;
    if (name == "value") return Unique::value;
    return std::nullopt;
}

const char* unique_name(Unique u) {
    switch (u) {
        case Unique::identity:
            return "identity";
        case Unique::value:
            return "value";
        case Unique::none:
            break;
    }
    return "";
}

}  // namespace persistence::fact
