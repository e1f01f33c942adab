#include "persistence/datom/codec.hpp"

#include <cstring>

#include "../edn/limits.hpp"
#include "persistence/edn/compare.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/reader.hpp"
#include "persistence/edn/symbol.hpp"
#include "persistence/edn/utf8.hpp"
#include "persistence/edn/validate.hpp"

namespace persistence::datom {

namespace sqlstate = core::sqlstate;

namespace {

constexpr const char* shape_hint =
    "Write a datom as #datom [e a v tx tx-time valid-from valid-to op], e.g. #datom [\"e1\" "
    ":project/wacc 0.087M 5 #inst \"2026-04-14T00:00:00Z\" #inst \"2026-04-14T00:00:00Z\" nil "
    ":assert].";

constexpr const char* element_names[8] = {"e", "a", "v", "tx", "tx-time", "valid-from", "valid-to", "op"};

std::string element(int i) {
    return "#datom element " + std::to_string(i + 1) + " (" + element_names[i] + ")";
}

// "an integer", "a string", "nil": for messages that say what was found.
std::string a_type(edn::ValueRef v) {
    edn::Type t = v.type();
    if (t == edn::Type::nil) return "nil";
    if (t == edn::Type::inst) return "an #inst";
    if (t == edn::Type::uuid) return "a #uuid";
    if (t == edn::Type::tagged) return "a tagged value #" + std::string(v.tag_name());
    std::string name = edn::type_name(t);
    bool vowel = name[0] == 'a' || name[0] == 'e' || name[0] == 'i' || name[0] == 'o';
    return (vowel ? "an " : "a ") + name;
}

core::Error shape_error(std::string message) {
    return core::Error(sqlstate::invalid_text_representation, std::move(message), shape_hint);
}

core::Error binary_error(const std::string& what) {
    return core::Error(sqlstate::invalid_binary_representation, "invalid binary datom: " + what,
                       "The datom was not written by persistence.datom_send, or it was damaged.");
}

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

bool valid_attribute(std::string_view a) {
    return a.size() >= 2 && a[0] == ':' && edn::valid_keyword(a.substr(1));
}

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

edn::Inst to_inst(Micros t) {
    int64_t s = floor_div(t, 1000000);
    return edn::Inst{s, uint32_t((t - s * 1000000) * 1000)};
}

void append_inst(Micros t, std::string& out) {
    out += "#inst \"";
    edn::format_inst(to_inst(t), out);
    out += '"';
}

// Element i must be an #inst of whole microseconds (or nil, when nil_ok: the open end).
core::Status read_instant(edn::ValueRef v, int i, bool nil_ok, Micros& out) {
    if (nil_ok && v.is_nil()) {
        out = open_end;
        return {};
    }
    if (v.tag() != edn::Tag::inst)
        return shape_error(element(i) + " must be an #inst" + (nil_ok ? " or nil" : "") + ", got " +
                           a_type(v));
    edn::Inst t = v.as_inst();
    if (t.nanos % 1000 != 0) {
        std::string text;
        edn::format_inst(t, text);
        return core::Error(sqlstate::datetime_field_overflow,
                           element(i) + " #inst \"" + text + "\" has sub-microsecond precision",
                           "Datom instants are timestamptz values, which hold whole microseconds; "
                           "round the instant yourself (it is never rounded for you).");
    }
    // Years 0000–9999 always fit a timestamptz, so only the precision can be wrong.
    out = t.seconds * 1000000 + Micros(t.nanos / 1000);
    return {};
}

core::Error interval_error(Micros from, Micros to, const char* code) {
    std::string text = "valid-from ";
    append_inst(from, text);
    text += " is not before valid-to ";
    append_inst(to, text);
    return core::Error(code, "datom " + text,
                       "The valid interval is half-open [valid-from, valid-to) and must not be empty; "
                       "use nil (NULL) as valid-to for an open interval.");
}

void append_string_value(std::string_view s, std::string& out) {
    // Print e through the EDN printer, so it is escaped exactly as an EDN string is.
    std::string bytes;
    bytes.reserve(5 + s.size());
    bytes += char(edn::Tag::string);
    uint32_t n = uint32_t(s.size());
    bytes.append(reinterpret_cast<const char*>(&n), 4);
    bytes.append(s.data(), s.size());
    edn::print(edn::ValueRef(reinterpret_cast<const uint8_t*>(bytes.data())), out);
}

template <typename T>
int cmp3(T x, T y) {
    return x < y ? -1 : (x > y ? 1 : 0);
}

int compare_bytes(std::string_view x, std::string_view y) {
    int c = x.compare(y);  // char_traits<char>::compare is memcmp: unsigned bytes
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

DatomView Datom::view() const {
    DatomView d;
    d.e = e;
    d.a = a;
    d.v = edn::ValueRef(reinterpret_cast<const uint8_t*>(v.data()));
    d.tx = tx;
    d.tx_time = tx_time;
    d.valid_from = valid_from;
    d.valid_to = valid_to;
    d.is_assert = is_assert;
    return d;
}

core::Status check(const DatomView& d) {
    if (d.e.empty())
        return core::Error(sqlstate::invalid_parameter_value, "datom e must not be empty",
                           "An entity id is non-empty text, e.g. a string id or a uuid.");
    if (!edn::utf8::valid(d.e))
        return core::Error(sqlstate::character_not_in_repertoire, "datom e is not valid UTF-8");
    if (has_nul(d.e))
        return core::Error(sqlstate::invalid_parameter_value, "datom e must not contain U+0000",
                           "An entity id is text, which cannot hold U+0000.");
    if (!edn::utf8::valid(d.a))
        return core::Error(sqlstate::character_not_in_repertoire, "datom a is not valid UTF-8");
    if (!valid_attribute(d.a))
        return core::Error(sqlstate::invalid_parameter_value,
                           "datom a \"" + std::string(edn::utf8::prefix(d.a, 80)) + "\" is not a keyword",
                           "An attribute is a keyword such as :project/wacc.");
    if (!micros_in_range(d.tx_time) || !micros_in_range(d.valid_from) ||
        (d.valid_to != open_end && !micros_in_range(d.valid_to)))
        return core::Error(sqlstate::datetime_field_overflow, "datom instant is out of range",
                           "Datom instants are finite and in the years 0000 to 9999 (UTC); an open "
                           "valid-to is NULL.");
    if (d.valid_from >= d.valid_to)
        return interval_error(d.valid_from, d.valid_to, sqlstate::invalid_parameter_value);
    return {};
}

size_t encoded_size(const DatomView& d) { return header_size + d.e.size() + d.a.size() + d.v.size(); }

void encode_into(const DatomView& d, uint8_t* out) {
    Header h{};
    h.tx = d.tx;
    h.tx_time = d.tx_time;
    h.valid_from = d.valid_from;
    h.valid_to = d.valid_to;
    h.e_len = uint32_t(d.e.size());
    h.a_len = uint32_t(d.a.size());
    h.op = d.is_assert ? op_assert : op_retract;
    std::memcpy(out, &h, header_size);
    out += header_size;
    std::memcpy(out, d.e.data(), d.e.size());
    out += d.e.size();
    std::memcpy(out, d.a.data(), d.a.size());
    out += d.a.size();
    std::memcpy(out, d.v.data(), d.v.size());
}

void encode(const DatomView& d, std::string& out) {
    size_t at = out.size();
    out.resize(at + encoded_size(d));
    encode_into(d, reinterpret_cast<uint8_t*>(&out[at]));
}

DatomView view(const uint8_t* data, size_t n) {
    (void)n;
    Header h;
    std::memcpy(&h, data, header_size);
    DatomView d;
    const char* p = reinterpret_cast<const char*>(data) + header_size;
    d.e = std::string_view(p, h.e_len);
    d.a = std::string_view(p + h.e_len, h.a_len);
    d.v = edn::ValueRef(data + header_size + h.e_len + h.a_len);
    d.tx = h.tx;
    d.tx_time = h.tx_time;
    d.valid_from = h.valid_from;
    d.valid_to = h.valid_to;
    d.is_assert = h.op == op_assert;
    return d;
}

core::Result<DatomView> decode(const uint8_t* data, size_t n, const edn::Limits& limits) {
    if (n < min_payload_size)
        return binary_error(std::to_string(n) + " bytes is shorter than the smallest datom (" +
                            std::to_string(min_payload_size) + " bytes)");
    Header h;
    std::memcpy(&h, data, header_size);
    for (uint8_t r : h.reserved) {
        if (r != 0) return binary_error("reserved bytes 41 to 47 must be zero");
    }
    if (h.op != op_assert && h.op != op_retract)
        return binary_error("op byte " + std::to_string(h.op) + " is neither 1 (assert) nor 0 (retract)");
    if (h.e_len == 0) return binary_error("e is empty");
    if (h.a_len < 2) return binary_error("a is shorter than a keyword");
    uint64_t v_at = uint64_t(header_size) + h.e_len + h.a_len;
    if (v_at >= n) return binary_error("the lengths of e and a run past the end, leaving no value");
    DatomView d = view(data, n);
    if (size_t bad = edn::utf8::find_invalid(d.e); bad != d.e.size())
        return core::Error(
            sqlstate::character_not_in_repertoire,
            "invalid UTF-8 byte sequence in binary datom e at byte " + std::to_string(header_size + bad));
    if (has_nul(d.e)) return binary_error("e contains U+0000");
    if (size_t bad = edn::utf8::find_invalid(d.a); bad != d.a.size())
        return core::Error(sqlstate::character_not_in_repertoire,
                           "invalid UTF-8 byte sequence in binary datom a at byte " +
                               std::to_string(header_size + d.e.size() + bad));
    if (!valid_attribute(d.a)) return binary_error("a is not a keyword with its leading ':'");
    core::Status v_ok = edn::validate(data + v_at, n - size_t(v_at), limits);
    if (!v_ok) {
        core::Error e = v_ok.error();
        e.message = "datom v: " + e.message;
        return e;
    }
    if (!micros_in_range(d.tx_time)) return binary_error("tx-time is out of range");
    if (!micros_in_range(d.valid_from)) return binary_error("valid-from is out of range");
    if (d.valid_to != open_end && !micros_in_range(d.valid_to))
        return binary_error("valid-to is out of range");
    if (d.valid_from >= d.valid_to) return binary_error("valid-from is not before valid-to");
    return d;
}

core::Result<Datom> parse(std::string_view text, const edn::Limits& limits) {
    // The #datom tag and its vector add two levels around v, and e and a add bytes: read
    // with room for them, then hold v itself to the limits, as binary receive does.
    edn::Limits effective = edn::detail::effective(limits);
    edn::Limits outer = effective;
    outer.max_depth = effective.max_depth + 2;
    outer.max_size = effective.max_size + text.size() + 256;
    auto read = edn::read(text, outer);
    if (!read) {
        core::Error e = read.error();
        if (e.code == sqlstate::program_limit_exceeded) {
            // The hint names the setting and its value: say the user's, not ours.
            bool depth = e.message.find("deep") != std::string::npos;
            e.hint = (depth ? edn::detail::depth_error(limits) : edn::detail::size_error(limits)).hint;
        }
        return e;
    }
    edn::ValueRef top(reinterpret_cast<const uint8_t*>(read.value().data()));
    if (top.tag() != edn::Tag::tagged)
        return shape_error("expected a datom tagged #datom, got " + a_type(top));
    if (top.tag_name() != "datom")
        return shape_error("expected the tag #datom, got #" + std::string(top.tag_name()));
    edn::ValueRef vec = top.tagged_value();
    if (vec.tag() != edn::Tag::vector)
        return shape_error("#datom must tag a vector [e a v tx tx-time valid-from valid-to op], got " +
                           a_type(vec));
    if (vec.count() != 8)
        return shape_error("#datom vector has " + std::to_string(vec.count()) +
                           (vec.count() == 1 ? " element" : " elements") +
                           "; expected 8: [e a v tx tx-time valid-from valid-to op]");

    Datom d;
    edn::ValueRef e = vec.item(0);
    if (e.tag() == edn::Tag::string) {
        d.e = std::string(e.as_text());
        if (d.e.empty()) return shape_error(element(0) + " must not be an empty string");
        if (has_nul(d.e)) return shape_error(element(0) + " must not contain U+0000");
    } else if (e.tag() == edn::Tag::uuid) {
        edn::format_uuid(e.as_uuid(), d.e);
    } else {
        return shape_error(element(0) + " must be a string or a #uuid, got " + a_type(e));
    }

    edn::ValueRef a = vec.item(1);
    if (a.tag() != edn::Tag::keyword)
        return shape_error(element(1) + " must be a keyword such as :project/wacc, got " + a_type(a));
    d.a = ":" + std::string(a.as_text());

    edn::ValueRef v = vec.item(2);
    core::Status v_ok = edn::validate(v.data(), v.size(), limits);
    if (!v_ok) return v_ok.error();  // only the limits can fail: the reader made v
    d.v.assign(reinterpret_cast<const char*>(v.data()), v.size());

    edn::ValueRef tx = vec.item(3);
    if (tx.tag() == edn::Tag::bigint)
        return core::Error(sqlstate::numeric_value_out_of_range, element(3) + " is out of range for bigint",
                           "A transaction id is a 64-bit integer.");
    if (tx.tag() != edn::Tag::integer)
        return shape_error(element(3) + " must be an integer, got " + a_type(tx));
    d.tx = tx.as_int();

    Micros tx_time = 0;
    Micros valid_from = 0;
    Micros valid_to = open_end;
    if (auto s = read_instant(vec.item(4), 4, false, tx_time); !s) return s.error();
    if (auto s = read_instant(vec.item(5), 5, false, valid_from); !s) return s.error();
    if (auto s = read_instant(vec.item(6), 6, true, valid_to); !s) return s.error();
    d.tx_time = tx_time;
    d.valid_from = valid_from;
    d.valid_to = valid_to;

    edn::ValueRef op = vec.item(7);
    if (op.tag() == edn::Tag::keyword && op.as_text() == "assert")
        d.is_assert = true;
    else if (op.tag() == edn::Tag::keyword && op.as_text() == "retract")
        d.is_assert = false;
    else
        return shape_error(element(7) + " must be :assert or :retract, got " +
                           (op.tag() == edn::Tag::keyword ? ":" + std::string(op.as_text()) : a_type(op)));

    if (d.valid_from >= d.valid_to)
        return interval_error(d.valid_from, d.valid_to, sqlstate::invalid_parameter_value);
    return d;
}

void print(const DatomView& d, std::string& out) {
    out += "#datom [";
    append_string_value(d.e, out);
    out += ' ';
    out.append(d.a.data(), d.a.size());
    out += ' ';
    edn::print(d.v, out);
    out += ' ';
    out += std::to_string(d.tx);
    out += ' ';
    append_inst(d.tx_time, out);
    out += ' ';
    append_inst(d.valid_from, out);
    out += ' ';
    if (d.open())
        out += "nil";
    else
        append_inst(d.valid_to, out);
    out += d.is_assert ? " :assert]" : " :retract]";
}

int compare(const DatomView& x, const DatomView& y) {
    if (int c = compare_bytes(x.e, y.e)) return c;
    if (int c = compare_bytes(x.a, y.a)) return c;
    if (int c = edn::compare(x.v, y.v)) return c < 0 ? -1 : 1;
    if (int c = cmp3(x.tx, y.tx)) return c;
    if (int c = cmp3(x.tx_time, y.tx_time)) return c;
    if (int c = cmp3(x.valid_from, y.valid_from)) return c;
    if (int c = cmp3(x.valid_to, y.valid_to)) return c;
    return cmp3(int(x.is_assert), int(y.is_assert));
}

bool equal(const DatomView& x, const DatomView& y) {
    return x.tx == y.tx && x.tx_time == y.tx_time && x.valid_from == y.valid_from &&
           x.valid_to == y.valid_to && x.is_assert == y.is_assert && x.e == y.e && x.a == y.a &&
           edn::equal(x.v, y.v);
}

hash::Digest value_hash(const DatomView& d) { return hash::sha256(d.v.data(), d.v.size()); }

hash::Digest content_hash(const DatomView& d) {
    return datom_hash(d.e, d.a, value_hash(d), d.tx, d.valid_from, d.valid_to, d.is_assert);
}

}  // namespace persistence::datom
