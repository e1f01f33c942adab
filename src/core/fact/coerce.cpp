#include "coerce.hpp"

#include <cmath>
#include <cstdlib>

#include "common.hpp"
#include "persistence/edn/encoder.hpp"
#include "persistence/edn/inst.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/symbol.hpp"

namespace persistence::fact::detail {

namespace {

using edn::Tag;

core::Error type_error(const ValueContext& ctx, edn::ValueRef v, const std::string& why = {}) {
    std::string msg = ctx.path + ": " + ctx.role + " " + printed(v) + " for attribute " + ctx.attr.ident +
                      " of entity " + quoted(ctx.e) + " is " + a_type(v) + ", expected " +
                      value_type_name(ctx.attr.type);
    if (!why.empty()) msg += " (" + why + ")";
    std::string hint = ctx.attr.defined
                           ? ctx.attr.ident + " has value type " + value_type_name(ctx.attr.type) +
                                 " (persistence.define_attribute); give a value of that type."
                           : std::string("Give a value of that type.");
    return core::Error(core::sqlstate::invalid_parameter_value, std::move(msg), std::move(hint));
}

core::Status finish(edn::Encoder& enc, std::string& value) {
    auto r = enc.finish();
    if (!r) return r.error();
    value = r.take();
    return {};
}

// A JSON number (integer, bigint or decimal) as a double.
core::Status to_double(edn::ValueRef v, std::string& value, const ValueContext& ctx,
                       const edn::Limits& limits) {
    double d;
    if (v.tag() == Tag::integer) {
        d = double(v.as_int());
    } else {
        // digits e -scale: no decimal point, so strtod's locale does not matter.
        std::string text;
        bool zero;
        if (v.tag() == Tag::bigint) {
            auto b = v.as_bigint();
            text.append(b.negative ? "-" : "").append(b.digits);
            zero = false;
        } else {
            auto m = v.as_decimal();
            text.append(m.negative ? "-" : "").append(m.digits);
            text += 'e';
            text += std::to_string(-int64_t(m.scale));
            zero = m.digits == "0";
        }
        d = std::strtod(text.c_str(), nullptr);
        if (!std::isfinite(d) || (d == 0 && !zero)) return type_error(ctx, v, "out of range for a double");
    }
    edn::Encoder enc(limits);
    enc.real(d);
    return finish(enc, value);
}

core::Status to_decimal(edn::ValueRef v, std::string& value, const edn::Limits& limits) {
    edn::Encoder enc(limits);
    if (v.tag() == Tag::integer) {
        int64_t i = v.as_int();
        uint64_t mag = i < 0 ? uint64_t(0) - uint64_t(i) : uint64_t(i);
        enc.decimal(i < 0, std::to_string(mag), 0);
    } else {
        auto b = v.as_bigint();
        enc.decimal(b.negative, b.digits, 0);
    }
    return finish(enc, value);
}

}  // namespace

core::Status coerce_value(std::string& value, std::string& ref, const ValueContext& ctx, bool json,
                          const edn::Limits& limits) {
    edn::ValueRef v = view(value);
    Tag tag = v.tag();
    if (tag == Tag::nil)
        return core::Error(
            core::sqlstate::invalid_parameter_value,
            ctx.path + ": " + ctx.role + " for attribute " + ctx.attr.ident + " of entity " + quoted(ctx.e) +
                " is nil, which is not a value",
            "To remove a value, use [:db/retract e a v] (or [:db/retract e a] for every value).");
    switch (ctx.attr.type) {
        case ValueType::any:
            return {};
        case ValueType::string:
            if (tag == Tag::string) return {};
            break;
        case ValueType::integer:
            if (tag == Tag::integer || tag == Tag::bigint) return {};
            break;
        case ValueType::double_:
            if (tag == Tag::double_) return {};
            // JSON has one kind of number: 1 and 1.5 both mean a double here.
            if (json && (tag == Tag::integer || tag == Tag::bigint || tag == Tag::decimal))
                return to_double(v, value, ctx, limits);
            break;
        case ValueType::decimal:
            if (tag == Tag::decimal) return {};
            if (json && (tag == Tag::integer || tag == Tag::bigint)) return to_decimal(v, value, limits);
            break;
        case ValueType::boolean:
            if (tag == Tag::true_ || tag == Tag::false_) return {};
            break;
        case ValueType::keyword:
            if (tag == Tag::keyword) return {};
            if (json && tag == Tag::string) {
                std::string_view s = v.as_text();
                if (!s.empty() && s[0] == ':') s.remove_prefix(1);
                if (!edn::valid_keyword(s)) return type_error(ctx, v, "not a keyword name");
                edn::Encoder enc(limits);
                enc.keyword(s);
                return finish(enc, value);
            }
            break;
        case ValueType::instant:
            if (tag == Tag::inst) return {};
            if (json && tag == Tag::string) {
                edn::Inst t;
                core::Status s = edn::parse_rfc3339(v.as_text(), t);
                if (!s) return type_error(ctx, v, "not an RFC 3339 time: " + s.error().message);
                edn::Encoder enc(limits);
                enc.inst(t);
                return finish(enc, value);
            }
            break;
        case ValueType::uuid:
            if (tag == Tag::uuid) return {};
            if (json && tag == Tag::string) {
                uint8_t bytes[16];
                if (!parse_uuid(v.as_text(), bytes)) return type_error(ctx, v, "not 8-4-4-4-12 hex digits");
                edn::Encoder enc(limits);
                enc.uuid(bytes);
                return finish(enc, value);
            }
            break;
        case ValueType::ref:
            // The value stored is the id as an EDN string, so a ref reads like an entity id.
            if (tag == Tag::string) {
                std::string_view s = v.as_text();
                if (s.empty()) return type_error(ctx, v, "an entity id must not be empty");
                ref.assign(s.data(), s.size());
                return {};
            }
            if (tag == Tag::uuid) {
                ref.clear();
                edn::format_uuid(v.as_uuid(), ref);
                edn::Encoder enc(limits);
                enc.string(ref);
                return finish(enc, value);
            }
            break;
        case ValueType::edn:
            if (tag == Tag::list || tag == Tag::vector || tag == Tag::map || tag == Tag::set ||
                tag == Tag::tagged)
                return {};
            break;
    }
    return type_error(ctx, v);
}

}  // namespace persistence::fact::detail
