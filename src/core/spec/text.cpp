#include "text.hpp"

#include "persistence/edn/encoder.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/utf8.hpp"

namespace persistence::spec::detail {

namespace {

using edn::Tag;
using edn::ValueRef;

// Prints a string, keyword or symbol text as an EDN string (JSON-compatible escapes),
// reading at most `limit` bytes of it.
void quoted(std::string_view s, size_t limit, std::string& out) {
    if (s.size() > limit) s = edn::utf8::prefix(s, limit);
    edn::Encoder enc;
    enc.string(s);
    auto r = enc.finish();
    if (r.ok()) edn::print(ValueRef(reinterpret_cast<const uint8_t*>(r.value().data())), out);
}

void render_into(ValueRef v, bool json, size_t limit, std::string& out) {
    if (out.size() > limit) return;
    size_t room = limit - out.size() + 8;
    switch (v.tag()) {
        case Tag::list:
        case Tag::vector:
        case Tag::set:
        case Tag::map: {
            bool map = v.tag() == Tag::map;
            const char* open = json                     ? (map ? "{" : "[")
                               : v.tag() == Tag::list   ? "("
                               : v.tag() == Tag::vector ? "["
                               : map                    ? "{"
                                                        : "#{";
            out += open;
            uint32_t n = map ? 2 * v.count() : v.count();
            for (uint32_t i = 0; i < n && out.size() <= limit; ++i) {
                if (i) out += json ? (map && i % 2 ? ": " : ", ") : " ";
                render_into(v.item(i), json, limit, out);
            }
            out += json ? (map ? "}" : "]") : v.tag() == Tag::list ? ")" : v.tag() == Tag::vector ? "]" : "}";
            return;
        }
        case Tag::tagged:
            if (json) {
                out += "{";
                quoted("#" + std::string(v.tag_name()), room, out);
                out += ": ";
                render_into(v.tagged_value(), json, limit, out);
                out += "}";
            } else {
                out += '#';
                out += v.tag_name();
                out += ' ';
                render_into(v.tagged_value(), json, limit, out);
            }
            return;
        case Tag::string:
            quoted(v.as_text(), room, out);
            return;
        default:
            break;
    }
    if (!json) {
        if (v.tag() == Tag::keyword || v.tag() == Tag::symbol) {
            std::string_view s = v.as_text();
            if (s.size() > room) s = edn::utf8::prefix(s, room);
            if (v.tag() == Tag::keyword) out += ':';
            out += s;
            return;
        }
        edn::print(v, out);
        return;
    }
    switch (v.tag()) {
        case Tag::nil:
            out += "null";
            return;
        case Tag::keyword:
        case Tag::symbol:
            quoted(v.as_text(), room, out);
            return;
        case Tag::bigint: {
            auto b = v.as_bigint();
            if (b.negative) out += '-';
            out += b.digits;
            return;
        }
        case Tag::decimal:
            edn::format_decimal_plain(v.as_decimal(), out);
            return;
        case Tag::inst: {
            std::string t;
            edn::format_inst(v.as_inst(), t);
            quoted(t, room, out);
            return;
        }
        case Tag::uuid: {
            std::string t;
            edn::format_uuid(v.as_uuid(), t);
            quoted(t, room, out);
            return;
        }
        case Tag::character: {
            std::string t;
            edn::utf8::append(v.as_char(), t);
            quoted(t, room, out);
            return;
        }
        default:
            edn::print(v, out);
            return;
    }
}

}  // namespace

std::string render(ValueRef v, bool json, size_t max_chars) {
    std::string out;
    render_into(v, json, max_chars * 4 + 16, out);
    if (edn::utf8::count(out) <= max_chars) return out;
    size_t keep = max_chars > 3 ? max_chars - 3 : 0;
    std::string cut(edn::utf8::prefix(out, keep));
    return cut + "...";
}

std::string count_of(uint64_t n, const char* singular, const char* plural) {
    return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

}  // namespace persistence::spec::detail
