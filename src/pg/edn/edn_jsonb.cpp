// Casts between jsonb and persistence.edn (mapping in docs/edn.md, "jsonb").
//
// jsonb → edn: null→nil, booleans, numbers → integer (N beyond 64 bits) or an exact
// decimal keeping its scale, strings, arrays → vectors, objects → maps with string keys.
// edn → jsonb maps those back, so jsonb → edn → jsonb is the identity; the other EDN
// types get documented JSON forms (keywords and symbols as their text, insts and uuids as
// strings, sets and lists as arrays, a tagged value as {"#tag": value}).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/edn/encoder.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/utf8.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/edn/edn_numeric.hpp"
#include "pg/guc.hpp"

extern "C" {
#include "utils/jsonb.h"
}

using namespace persistence;

namespace {

[[noreturn]] void cannot_convert(const std::string& what, const char* hint) {
    pg::raise({core::sqlstate::invalid_parameter_value, "cannot convert " + what + " to jsonb", hint});
}

// jsonb strings are in the database encoding; EDN strings are UTF-8.
bool add_jsonb_string(edn::Encoder& enc, const JsonbValue& v) {
    return enc.string(pg::server_to_utf8(std::string_view(v.val.string.val, size_t(v.val.string.len))));
}

bool add_jsonb_scalar(edn::Encoder& enc, const JsonbValue& v) {
    switch (v.type) {
        case jbvNull: return enc.nil();
        case jbvBool: return enc.boolean(v.val.boolean);
        case jbvNumeric: return pg::encode_numeric(enc, NumericGetDatum(v.val.numeric));
        case jbvString: return add_jsonb_string(enc, v);
        default: return enc.fail({core::sqlstate::internal_error, "unexpected jsonb value type"});
    }
}

class JsonbWriter {
   public:
    // Appends v as a JSON value of the object or array being built.
    void value(edn::ValueRef v, JsonbIteratorToken token) {
        switch (v.tag()) {
            case edn::Tag::list:
            case edn::Tag::vector:
            case edn::Tag::set: {
                push(WJB_BEGIN_ARRAY, nullptr);
                for (uint32_t i = 0; i < v.count(); ++i) value(v.item(i), WJB_ELEM);
                push(WJB_END_ARRAY, nullptr);
                return;
            }
            case edn::Tag::map: {
                push(WJB_BEGIN_OBJECT, nullptr);
                std::vector<std::string> keys;
                for (uint32_t i = 0; i < v.count(); ++i) keys.push_back(key_text(v.map_key(i)));
                check_unique_keys(keys);
                for (uint32_t i = 0; i < v.count(); ++i) {
                    JsonbValue k = string_value(keys[i]);
                    push(WJB_KEY, &k);
                    value(v.map_val(i), WJB_VALUE);
                }
                push(WJB_END_OBJECT, nullptr);
                return;
            }
            case edn::Tag::tagged: {
                push(WJB_BEGIN_OBJECT, nullptr);
                std::string key = "#" + std::string(v.tag_name());
                JsonbValue k = string_value(key);
                push(WJB_KEY, &k);
                value(v.tagged_value(), WJB_VALUE);
                push(WJB_END_OBJECT, nullptr);
                return;
            }
            default: {
                std::string text;
                JsonbValue s = scalar(v, text);
                push(token, &s);
            }
        }
    }

    // The whole document; a top-level scalar becomes a scalar jsonb.
    Jsonb* finish_document(edn::ValueRef root) {
        if (!root.is_collection() && root.tag() != edn::Tag::tagged) {
            std::string text;
            JsonbValue s = scalar(root, text);
            return pg::call_pg([&] { return JsonbValueToJsonb(&s); });
        }
        value(root, WJB_ELEM);
        return pg::call_pg([&] { return JsonbValueToJsonb(result_); });
    }

   private:
    void push(JsonbIteratorToken token, JsonbValue* v) {
        result_ = pg::call_pg([&] { return pushJsonbValue(&state_, token, v); });
    }

    // Strings handed to jsonb are palloc'd: the JsonbValue tree outlives `text`.
    JsonbValue string_value(std::string_view text) {
        if (text.find('\0') != std::string_view::npos)
            pg::raise({core::sqlstate::untranslatable_character,
                       "cannot convert a string containing \\u0000 to jsonb",
                       "jsonb cannot store U+0000; remove it or keep the value as edn."});
        char* copy = static_cast<char*>(pg::palloc_or_throw(text.size() + 1));
        std::memcpy(copy, text.data(), text.size());
        copy[text.size()] = '\0';
        std::string_view server = pg::utf8_to_server(std::string_view(copy, text.size()));
        JsonbValue out;
        out.type = jbvString;
        out.val.string.val = const_cast<char*>(server.data());
        out.val.string.len = int(server.size());
        return out;
    }

    JsonbValue scalar(edn::ValueRef v, std::string& text) {
        JsonbValue out;
        switch (v.tag()) {
            case edn::Tag::nil: out.type = jbvNull; return out;
            case edn::Tag::false_:
            case edn::Tag::true_: out.type = jbvBool; out.val.boolean = v.as_bool(); return out;
            case edn::Tag::double_:
                if (!std::isfinite(v.as_double()))
                    cannot_convert(edn::to_string(v), "JSON has no infinities or NaN; map them to null or a string first.");
                [[fallthrough]];
            case edn::Tag::integer:
            case edn::Tag::bigint:
            case edn::Tag::decimal:
                out.type = jbvNumeric;
                out.val.numeric = DatumGetNumeric(pg::numeric_from_edn(v));
                return out;
            case edn::Tag::string:
            case edn::Tag::keyword:
            case edn::Tag::symbol: return string_value(v.as_text());
            case edn::Tag::inst: edn::format_inst(v.as_inst(), text); return string_value(text);
            case edn::Tag::uuid: edn::format_uuid(v.as_uuid(), text); return string_value(text);
            case edn::Tag::character: edn::utf8::append(v.as_char(), text); return string_value(text);
            default: cannot_convert(edn::type_name(v.type()), "This is a bug: collections are not scalars.");
        }
    }

    // Object keys: strings as they are, keywords and symbols as their text, anything
    // else as its canonical EDN text.
    static std::string key_text(edn::ValueRef k) {
        switch (k.tag()) {
            case edn::Tag::string:
            case edn::Tag::keyword:
            case edn::Tag::symbol: return std::string(k.as_text());
            default: return edn::to_string(k);
        }
    }

    static void check_unique_keys(std::vector<std::string> keys) {
        std::sort(keys.begin(), keys.end());
        auto dup = std::adjacent_find(keys.begin(), keys.end());
        if (dup != keys.end())
            cannot_convert("a map in which two keys have the same JSON text \"" + *dup + "\"",
                           "Rename one of the keys (for example :a and \"a\" both become \"a\").");
    }

    JsonbParseState* state_ = nullptr;
    JsonbValue* result_ = nullptr;
};

}  // namespace

// jsonb → edn
PERSISTENCE_FUNCTION(persistence_edn_from_jsonb) {
    Jsonb* jb = PG_GETARG_JSONB_P(0);
    edn::Encoder enc(pg::edn_limits());
    JsonbIterator* it = pg::call_pg([&] { return JsonbIteratorInit(&jb->root); });
    JsonbValue v;
    JsonbIteratorToken token;
    while ((token = pg::call_pg([&] { return JsonbIteratorNext(&it, &v, false); })) != WJB_DONE) {
        switch (token) {
            case WJB_BEGIN_ARRAY:
                if (!v.val.array.rawScalar) enc.begin(edn::Tag::vector);
                break;
            case WJB_BEGIN_OBJECT: enc.begin(edn::Tag::map); break;
            case WJB_END_ARRAY:
                if (enc.open_depth() > 0) enc.end();
                break;
            case WJB_END_OBJECT: enc.end(); break;
            case WJB_KEY:
            case WJB_VALUE:
            case WJB_ELEM: add_jsonb_scalar(enc, v); break;
            default: break;
        }
        if (!enc.ok()) break;
    }
    return pg::edn_result(enc.finish());
}

// edn → jsonb
PERSISTENCE_FUNCTION(persistence_edn_to_jsonb) {
    edn::ValueRef root = pg::edn_arg(fcinfo, 0);
    JsonbWriter writer;
    PG_RETURN_JSONB_P(writer.finish_document(root));
}
