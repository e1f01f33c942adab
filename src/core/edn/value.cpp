#include "persistence/edn/value.hpp"

#include "persistence/edn/compare.hpp"

namespace persistence::edn {

const char* type_name(Type t) {
    switch (t) {
        case Type::nil:
            return "nil";
        case Type::boolean:
            return "boolean";
        case Type::integer:
            return "integer";
        case Type::double_:
            return "double";
        case Type::decimal:
            return "decimal";
        case Type::character:
            return "char";
        case Type::string:
            return "string";
        case Type::keyword:
            return "keyword";
        case Type::symbol:
            return "symbol";
        case Type::inst:
            return "inst";
        case Type::uuid:
            return "uuid";
        case Type::list:
            return "list";
        case Type::vector:
            return "vector";
        case Type::map:
            return "map";
        case Type::set:
            return "set";
        case Type::tagged:
            return "tagged";
    }
    return "unknown";
}

size_t ValueRef::size() const {
    switch (tag()) {
        case Tag::nil:
        case Tag::false_:
        case Tag::true_:
            return 1;
        case Tag::integer:
        case Tag::double_:
            return 9;
        case Tag::bigint:
            return 6 + load_u32(p_ + 1);
        case Tag::decimal:
            return 10 + load_u32(p_ + 1);
        case Tag::character:
            return 5;
        case Tag::string:
        case Tag::keyword:
        case Tag::symbol:
            return 5 + size_t(load_u32(p_ + 1));
        case Tag::inst:
            return 13;
        case Tag::uuid:
            return 17;
        case Tag::list:
        case Tag::vector:
        case Tag::map:
        case Tag::set:
        case Tag::tagged:
            return 5 + size_t(load_u32(p_ + 1));
    }
    return 1;
}

Type ValueRef::type() const {
    switch (tag()) {
        case Tag::nil:
            return Type::nil;
        case Tag::false_:
        case Tag::true_:
            return Type::boolean;
        case Tag::integer:
        case Tag::bigint:
            return Type::integer;
        case Tag::double_:
            return Type::double_;
        case Tag::decimal:
            return Type::decimal;
        case Tag::character:
            return Type::character;
        case Tag::string:
            return Type::string;
        case Tag::keyword:
            return Type::keyword;
        case Tag::symbol:
            return Type::symbol;
        case Tag::inst:
            return Type::inst;
        case Tag::uuid:
            return Type::uuid;
        case Tag::list:
            return Type::list;
        case Tag::vector:
            return Type::vector;
        case Tag::map:
            return Type::map;
        case Tag::set:
            return Type::set;
        case Tag::tagged:
            return Type::tagged;
    }
    return Type::nil;
}

bool ValueRef::is_collection() const {
    Tag t = tag();
    return t == Tag::list || t == Tag::vector || t == Tag::map || t == Tag::set;
}

BigintParts ValueRef::as_bigint() const {
    uint32_t len = load_u32(p_ + 1);
    return BigintParts{p_[5] == '-', std::string_view(reinterpret_cast<const char*>(p_ + 6), len)};
}

double ValueRef::as_double() const {
    uint64_t bits = load_u64(p_ + 1);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
}

DecimalParts ValueRef::as_decimal() const {
    uint32_t len = load_u32(p_ + 1);
    return DecimalParts{p_[5] == '-', load_i32(p_ + 6),
                        std::string_view(reinterpret_cast<const char*>(p_ + 10), len)};
}

std::string_view ValueRef::as_text() const {
    return std::string_view(reinterpret_cast<const char*>(p_ + 5), load_u32(p_ + 1));
}

Inst ValueRef::as_inst() const { return Inst{load_i64(p_ + 1), load_u32(p_ + 9)}; }

std::string_view ValueRef::tag_name() const {
    return std::string_view(reinterpret_cast<const char*>(p_ + 9), load_u32(p_ + 5));
}

ValueRef ValueRef::tagged_value() const { return ValueRef(p_ + 9 + load_u32(p_ + 5)); }

uint32_t ValueRef::count() const { return load_u32(p_ + 5); }

ValueRef ValueRef::item(uint32_t i) const {
    uint32_t body_len = load_u32(p_ + 1);
    uint64_t k = tag() == Tag::map ? 2 * uint64_t(count()) : count();
    const uint8_t* offsets = p_ + 5 + body_len - 4 * k;
    return ValueRef(p_ + 9 + load_u32(offsets + 4 * size_t(i)));
}

std::optional<ValueRef> ValueRef::map_get(ValueRef key) const {
    uint32_t lo = 0, hi = count();
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = compare(map_key(mid), key);
        if (c == 0) return map_val(mid);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return std::nullopt;
}

bool ValueRef::set_contains(ValueRef member) const {
    uint32_t lo = 0, hi = count();
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = compare(item(mid), member);
        if (c == 0) return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

}  // namespace persistence::edn
