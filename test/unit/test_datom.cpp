// The datom value: canonical hash bytes, binary payload, text form, order.
#include <string>
#include <vector>

#include "helpers.hpp"
#include "persistence/datom/codec.hpp"
#include "persistence/datom/datom.hpp"

using namespace edn_test;
namespace datom = persistence::datom;
namespace hash = persistence::hash;
using persistence::core::Error;

namespace {

constexpr int64_t open = datom::open_end;
// 2026-04-14T00:00:00Z in µs since the Unix epoch (python3: calendar.timegm((2026,4,14,0,0,0))).
constexpr int64_t apr14 = 1776124800LL * 1000000;

const char* const example =
    "#datom [\"e1\" :project/wacc 0.087M 5 #inst \"2026-04-14T00:00:00.000Z\" "
    "#inst \"2026-04-14T00:00:00Z\" nil :assert]";
const char* const example_printed =
    "#datom [\"e1\" :project/wacc 0.087M 5 #inst \"2026-04-14T00:00:00.000Z\" "
    "#inst \"2026-04-14T00:00:00.000Z\" nil :assert]";

datom::Datom parsed(const std::string& text, const edn::Limits& limits = {}) {
    auto r = datom::parse(text, limits);
    INFO("text: " << text);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    return r.take();
}

Error parse_error(const std::string& text, const edn::Limits& limits = {}) {
    auto r = datom::parse(text, limits);
    INFO("text: " << text);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

std::string printed(const datom::DatomView& d) {
    std::string out;
    datom::print(d, out);
    return out;
}

std::string payload(const datom::Datom& d) {
    std::string out;
    datom::encode(d.view(), out);
    return out;
}

persistence::core::Result<datom::DatomView> decoded(const std::string& bytes,
                                                    const edn::Limits& limits = {}) {
    return datom::decode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), limits);
}

// The datom with its 8 elements written out, so each test can replace one.
std::string with(int index, const std::string& text) {
    std::vector<std::string> parts = {
        "\"e1\"", ":p/a",   "1", "7", "#inst \"2026-01-01T00:00:00Z\"", "#inst \"2026-01-01T00:00:00Z\"",
        "nil",    ":assert"};
    parts[size_t(index)] = text;
    std::string out = "#datom [";
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? " " : "") + parts[i];
    return out + "]";
}

}  // namespace

// Each vector's digest was computed independently; to recheck (vector 1):
//   python3 -c "import
//   hashlib,struct;v=hashlib.sha256(bytes.fromhex('13020000002b030000003837')).digest();e=b'e1';a=b':project/wacc';print(hashlib.sha256(b'\x01'+struct.pack('>I',len(e))+e+struct.pack('>I',len(a))+a+v+struct.pack('>qqq',5,1776124800000000,2**63-1)+b'\x01').hexdigest())"
// Vector 2: e=b'f81d4fae-7dec-11d0-a765-00a0c91e6bf6', a=b':person/name', v bytes '2103000000416e61'
//   ("Ana"), tx 42, valid 0..1000000, op byte b'\x00'.
// Vector 3: e='é'.encode(), a=b':a', v bytes '00' (nil), tx -1,
//   valid -62167219200000000..253402300799999999, op b'\x01'.
TEST_CASE("datom_hash: hand-computed vectors") {
    struct Vector {
        const char* text;
        const char* value_bytes;
        const char* value_hash;
        const char* digest;
    };
    // clang-format off
    const Vector vectors[] = {
        {example, "13 02000000 2b 03000000 3837",
         "762f78a03e676762ee9fc1757a7fb35193846eca650de736d694fc8a8f7a884a",
         "b6436e4e908980e70db8bd17e715fe2c572415bb32f9e109f01db671f04ef41d"},
        {"#datom [#uuid \"F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6\" :person/name \"Ana\" 42 "
         "#inst \"2026-01-01T00:00:00Z\" #inst \"1970-01-01T00:00:00Z\" #inst \"1970-01-01T00:00:01Z\" :retract]",
         "21 03000000 416e61",
         "58428d3d3eb1a66447a643c79206c7eee28564e1508eea74ca9daffffbe08b15",
         "66c9c88f9de8ec91f6fe9865fa8e5c47cad160ac361710bface133228ce837e0"},
        {"#datom [\"\u00e9\" :a nil -1 #inst \"2000-01-01T00:00:00Z\" #inst \"0000-01-01T00:00:00Z\" "
         "#inst \"9999-12-31T23:59:59.999999Z\" :assert]",
         "00",
         "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
         "4f17fc2bdb20e9a0598a0134fef178d3208aad8f85db3752aeaa0b6450c5534d"},
    };
    // clang-format on
    for (const Vector& v : vectors) {
        INFO(v.text);
        datom::Datom d = parsed(v.text);
        CHECK(to_hex(d.v) == to_hex(from_hex(v.value_bytes)));
        CHECK(hash::to_hex(datom::value_hash(d.view())) == v.value_hash);
        CHECK(hash::to_hex(datom::content_hash(d.view())) == v.digest);
        hash::Digest vh = datom::value_hash(d.view());
        CHECK(hash::to_hex(datom::datom_hash(d.e, d.a, vh, d.tx, d.valid_from, d.valid_to, d.is_assert)) ==
              v.digest);
    }
}

TEST_CASE("canonical_bytes: the documented layout") {
    hash::Digest vh{};
    for (size_t i = 0; i < vh.size(); ++i) vh[i] = uint8_t(i);
    std::string out = "garbage";
    datom::canonical_bytes("e1", ":a/b", vh, 5, 0, open, false, out);
    CHECK(to_hex(out) == to_hex(from_hex("01"
                                         "00000002 6531"
                                         "00000004 3a612f62"
                                         "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                                         "0000000000000005"
                                         "0000000000000000"
                                         "7fffffffffffffff"
                                         "00")));
    datom::canonical_bytes("e1", ":a/b", vh, -2, -1, 1, true, out);
    CHECK(to_hex(out).substr(2 + 12 + 16 + 64) ==
          "fffffffffffffffe"
          "ffffffffffffffff"
          "0000000000000001"
          "01");
    // A long e takes the heap path of datom_hash: same bytes, same digest.
    std::string long_e(2000, 'x');
    datom::canonical_bytes(long_e, ":a/b", vh, 1, 2, 3, true, out);
    CHECK(datom::datom_hash(long_e, ":a/b", vh, 1, 2, 3, true) == hash::sha256(out.data(), out.size()));
}

TEST_CASE("datom text: reading and canonical printing") {
    datom::Datom d = parsed(example);
    CHECK(d.e == "e1");
    CHECK(d.a == ":project/wacc");
    CHECK(edn::to_string(vref(d.v)) == "0.087M");
    CHECK(d.tx == 5);
    CHECK(d.tx_time == apr14);
    CHECK(d.valid_from == apr14);
    CHECK(d.valid_to == open);
    CHECK(d.is_assert);
    CHECK(printed(d.view()) == example_printed);
    CHECK(printed(parsed(example_printed).view()) == example_printed);

    // Whitespace, commas, comments and discards as anywhere in EDN; uuids become strings.
    datom::Datom u = parsed(
        " #datom [ #uuid \"F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6\", :person/friends #{3 1 2} ; c\n"
        " -9223372036854775808 #inst \"1969-12-31T23:59:59.999999Z\" #_ x "
        "#inst \"2026-11-25T12:30:00+02:00\" #inst \"2027-01-01T00:00:00.5Z\" :retract ] ");
    CHECK(printed(u.view()) ==
          "#datom [\"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\" :person/friends #{1 2 3} -9223372036854775808 "
          "#inst \"1969-12-31T23:59:59.999999Z\" #inst \"2026-11-25T10:30:00.000Z\" "
          "#inst \"2027-01-01T00:00:00.500Z\" :retract]");
    CHECK(u.tx_time == -1);
    CHECK_FALSE(u.is_assert);

    // Strings print with EDN escapes; a may be any keyword; v may be any value.
    datom::Datom s = parsed(with(0, "\"a\\\"b\\n\u00e9\""));
    CHECK(printed(s.view()).find("[\"a\\\"b\\n\u00e9\" ") != std::string::npos);
    CHECK(parsed(with(1, ":plain")).a == ":plain");
    CHECK(printed(parsed(with(2, "{:k [1 #t \"x\"]}")).view()).find(" {:k [1 #t \"x\"]} ") !=
          std::string::npos);
    CHECK(parsed(with(2, "#datom [1]")).v.size() > 0);  // a tagged value is just a value here
}

TEST_CASE("datom text: shape errors name the element and carry a hint") {
    struct Case {
        std::string text;
        const char* code;
        const char* fragment;
    };
    const Case cases[] = {
        {"[\"e\" :a 1 2]", "22P02", "expected a datom tagged #datom, got a vector"},
        {"#dat [1]", "22P02", "expected the tag #datom, got #dat"},
        {"#datom (1 2 3 4 5 6 7 8)", "22P02", "got a list"},
        {"#datom [\"e\" :a 1 7 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil]", "22P02",
         "has 7 elements; expected 8"},
        {with(0, "e1"), "22P02", "element 1 (e) must be a string or a #uuid, got a symbol"},
        {with(0, "42"), "22P02", "element 1 (e) must be a string or a #uuid, got an integer"},
        {with(0, "\"\""), "22P02", "element 1 (e) must not be an empty string"},
        {with(0, "\"a\\u0000b\""), "22P02", "element 1 (e) must not contain U+0000"},
        {with(1, "\"p/a\""), "22P02", "element 2 (a) must be a keyword"},
        {with(1, "p/a"), "22P02", "element 2 (a) must be a keyword such as :project/wacc, got a symbol"},
        {with(3, "7.0"), "22P02", "element 4 (tx) must be an integer, got a double"},
        {with(3, "\"7\""), "22P02", "element 4 (tx) must be an integer, got a string"},
        {with(3, "9223372036854775808N"), "22003", "element 4 (tx) is out of range"},
        {with(4, "\"2026-01-01T00:00:00Z\""), "22P02", "element 5 (tx-time) must be an #inst, got a string"},
        {with(4, "nil"), "22P02", "element 5 (tx-time) must be an #inst, got nil"},
        {with(5, "nil"), "22P02", "element 6 (valid-from) must be an #inst, got nil"},
        {with(6, "0"), "22P02", "element 7 (valid-to) must be an #inst or nil, got an integer"},
        {with(7, ":add"), "22P02", "element 8 (op) must be :assert or :retract, got :add"},
        {with(7, "\"assert\""), "22P02", "element 8 (op) must be :assert or :retract, got a string"},
        {with(7, "assert"), "22P02", "element 8 (op) must be :assert or :retract, got a symbol"},
        {with(4, "#inst \"2026-01-01T00:00:00.0000001Z\""), "22008", "element 5 (tx-time)"},
        {with(5, "#inst \"2026-01-01T00:00:00.123456789Z\""), "22008", "sub-microsecond precision"},
        {with(6, "#inst \"2026-01-01T00:00:00.0000005Z\""), "22008", "element 7 (valid-to)"},
        {with(6, "#inst \"2026-01-01T00:00:00Z\""), "22023", "is not before valid-to"},
        {with(6, "#inst \"2025-12-31T23:59:59.999999Z\""), "22023", "is not before valid-to"},
        // The reader's own errors pass through unchanged.
        {"#datom [\"e\" :a", "22P02", "line 1, column"},
        {with(4, "#inst \"2026-13-01T00:00:00Z\""), "22008", "month"},
        {"#datom [\"e\" :a 1 7] trailing", "22P02", "expected end of input"},
    };
    for (const Case& c : cases) {
        Error e = parse_error(c.text);
        INFO("text: " << c.text << "\nmessage: " << e.message);
        CHECK(e.code == c.code);
        CHECK(e.message.find(c.fragment) != std::string::npos);
        CHECK_FALSE(e.hint.empty());
    }
    CHECK(parse_error(with(0, "1")).hint.find("#datom [e a v tx tx-time valid-from valid-to op]") !=
          std::string::npos);
}

TEST_CASE("datom text: limits apply to v, not to the #datom wrapper") {
    edn::Limits limits;
    limits.max_depth = 3;
    limits.max_size = 1024;
    // v of depth 3 is within the limit although the whole text nests 5 deep.
    datom::Datom d = parsed(with(2, "[[[1]]]"), limits);
    CHECK(edn::to_string(vref(d.v)) == "[[[1]]]");
    Error deep = parse_error(with(2, "[[[[1]]]]"), limits);
    CHECK(deep.code == "54000");
    CHECK(deep.hint.find("persistence.edn_max_depth (3)") != std::string::npos);
    Error deeper = parse_error(with(2, "[[[[[[[[1]]]]]]]]"), limits);  // beyond the reader's allowance too
    CHECK(deeper.code == "54000");
    CHECK(deeper.hint.find("persistence.edn_max_depth (3)") != std::string::npos);
    // A long e does not count against edn_max_size; a large v does.
    CHECK(parsed(with(0, "\"" + std::string(2000, 'e') + "\""), limits).e.size() == 2000);
    Error big = parse_error(with(2, "\"" + std::string(2000, 'v') + "\""), limits);
    CHECK(big.code == "54000");
    CHECK(big.hint.find("persistence.edn_max_size (1024 bytes)") != std::string::npos);
}

TEST_CASE("datom binary: encode and decode") {
    datom::Datom d = parsed(example);
    std::string bytes = payload(d);
    // Header: tx 5, tx_time, valid_from, valid_to open, e_len 2, a_len 13, op 1, reserved.
    CHECK(to_hex(bytes.substr(0, 48)) ==
          "0500000000000000"
          "00e0c747604f0600"
          "00e0c747604f0600"
          "ffffffffffffff7f"
          "02000000"
          "0d000000"
          "01"
          "00000000000000");
    CHECK(bytes.substr(48, 15) == "e1:project/wacc");
    CHECK(bytes.substr(63) == d.v);
    CHECK(datom::encoded_size(d.view()) == bytes.size());

    auto r = decoded(bytes);
    REQUIRE(r.ok());
    CHECK(datom::equal(r.value(), d.view()));
    CHECK(printed(r.value()) == example_printed);
    datom::DatomView trusted = datom::view(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    CHECK(datom::compare(trusted, d.view()) == 0);
}

TEST_CASE("datom binary: every malformed payload is rejected") {
    std::string good = payload(parsed(with(2, "{:k \"v\"}")));
    REQUIRE(decoded(good).ok());
    auto code_of = [](const std::string& bytes) {
        auto r = decoded(bytes);
        return r.ok() ? std::string("ok") : r.error().code;
    };
    // Every truncation, and a trailing byte.
    for (size_t n = 0; n < good.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        CHECK(code_of(good.substr(0, n)) == "22P03");
    }
    CHECK(code_of(good + '\0') == "22P03");
    // Each reserved byte and the op byte.
    for (size_t i = 41; i < 48; ++i) {
        std::string b = good;
        b[i] = 1;
        CHECK(code_of(b) == "22P03");
    }
    std::string b = good;
    b[40] = 2;
    CHECK(code_of(b) == "22P03");
    b[40] = 0;
    CHECK(code_of(b) == "ok");  // a retraction

    auto set_u32 = [](std::string s, size_t at, uint32_t v) {
        std::memcpy(&s[at], &v, 4);
        return s;
    };
    auto set_i64 = [](std::string s, size_t at, int64_t v) {
        std::memcpy(&s[at], &v, 8);
        return s;
    };
    CHECK(code_of(set_u32(good, 32, 0)) == "22P03");                  // empty e
    CHECK(code_of(set_u32(good, 32, 0xffffffffu)) == "22P03");        // e runs past the end
    CHECK(code_of(set_u32(good, 36, 0xfffffff0u)) == "22P03");        // a runs past the end
    CHECK(code_of(set_u32(good, 36, 1)) == "22P03");                  // a too short
    CHECK(code_of(set_u32(set_u32(good, 32, 3), 36, 3)) == "22P03");  // a = "p/a" has no colon
    CHECK(code_of(set_i64(good, 8, datom::max_micros + 1)) == "22P03");
    CHECK(code_of(set_i64(good, 16, datom::min_micros - 1)) == "22P03");
    CHECK(code_of(set_i64(good, 24, datom::max_micros + 1)) == "22P03");
    CHECK(code_of(set_i64(good, 24, datom::max_micros)) == "ok");
    CHECK(code_of(set_i64(good, 24, 1767225600000000)) == "22P03");  // valid_to == valid_from
    CHECK(code_of(set_i64(good, 0, INT64_MIN)) == "ok");             // any tx

    std::string bad_e = good;
    bad_e[48] = char(0xff);
    CHECK(code_of(bad_e) == "22021");
    std::string nul_e = good;
    nul_e[49] = '\0';
    CHECK(code_of(nul_e) == "22P03");
    std::string bad_a = good;
    bad_a[51] = char(0xc3);
    CHECK(code_of(bad_a) == "22021");
    std::string space_a = good;
    space_a[52] = ' ';
    CHECK(code_of(space_a) == "22P03");
    std::string bad_v = good;
    bad_v[48 + 2 + 4] = 0x7f;  // v's tag byte
    CHECK(code_of(bad_v) == "22P03");
    CHECK(decoded(bad_v).error().message.find("datom v:") == 0);

    edn::Limits small;
    small.max_depth = 1;
    std::string nested = payload(parsed(with(2, "[[1]]")));
    CHECK(decoded(nested).ok());
    CHECK(decoded(nested, small).error().code == "54000");
}

TEST_CASE("datom check: fields assembled from parts") {
    datom::Datom d = parsed(example);
    CHECK(datom::check(d.view()).ok());
    auto code_of = [](datom::Datom x) {
        auto s = datom::check(x.view());
        return s.ok() ? std::string("ok") : s.error().code;
    };
    datom::Datom x = d;
    x.e = "";
    CHECK(code_of(x) == "22023");
    x.e = std::string("a\0b", 3);
    CHECK(code_of(x) == "22023");
    x.e = "\xff";
    CHECK(code_of(x) == "22021");
    x = d;
    x.a = "project/wacc";
    CHECK(code_of(x) == "22023");
    x.a = ":";
    CHECK(code_of(x) == "22023");
    x.a = ":a b";
    CHECK(code_of(x) == "22023");
    x = d;
    x.valid_to = x.valid_from;
    CHECK(code_of(x) == "22023");
    x.valid_to = x.valid_from - 1;
    CHECK(code_of(x) == "22023");
    x = d;
    x.tx_time = datom::max_micros + 1;
    CHECK(code_of(x) == "22008");
    x = d;
    x.valid_from = datom::min_micros - 1;
    CHECK(code_of(x) == "22008");
    x = d;
    x.valid_to = datom::max_micros + 1;
    CHECK(code_of(x) == "22008");
}

TEST_CASE("datom order: EAVT, then the remaining fields") {
    // Each text is greater than the one before, by exactly one field (left to right).
    const std::vector<std::string> ascending = {
        "#datom [\"a\" :p/a 1 1 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :retract]",
        "#datom [\"a\" :p/a 1 1 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :assert]",
        "#datom [\"a\" :p/a 1 1 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-02T00:00:00Z\" #inst "
        "\"2026-01-03T00:00:00Z\" :assert]",
        "#datom [\"a\" :p/a 1 1 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-02T00:00:00Z\" nil :assert]",
        "#datom [\"a\" :p/a 1 1 #inst \"2026-01-02T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :assert]",
        "#datom [\"a\" :p/a 1 2 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :assert]",
        "#datom [\"a\" :p/a 2 1 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :assert]",
        "#datom [\"a\" :p/a 1.0 1 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :assert]",
        "#datom [\"a\" :p/b 1 1 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :assert]",
        "#datom [\"a\" :q 1 1 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :assert]",
        "#datom [\"a0\" :a 0 0 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :assert]",
        "#datom [\"b\" :a 0 0 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil :assert]",
        "#datom [\"\u00e9\" :a 0 0 #inst \"2026-01-01T00:00:00Z\" #inst \"2026-01-01T00:00:00Z\" nil "
        ":assert]",
    };
    std::vector<datom::Datom> ds;
    for (const std::string& t : ascending) ds.push_back(parsed(t));
    for (size_t i = 0; i < ds.size(); ++i) {
        for (size_t j = 0; j < ds.size(); ++j) {
            INFO(ascending[i] << "\n" << ascending[j]);
            int expected = i < j ? -1 : (i > j ? 1 : 0);
            CHECK(datom::compare(ds[i].view(), ds[j].view()) == expected);
            CHECK(datom::equal(ds[i].view(), ds[j].view()) == (i == j));
            // Equality is byte equality of the payloads.
            CHECK((payload(ds[i]) == payload(ds[j])) == (i == j));
        }
    }
    // tx compares as a signed integer.
    CHECK(datom::compare(parsed(with(3, "-1")).view(), parsed(with(3, "1")).view()) < 0);
}

TEST_CASE("datom: text, binary and hash agree after a round trip") {
    const std::vector<std::string> texts = {
        example,
        with(2, "#{\"x\" :y [1 2.5 3M]}"),
        with(0, "#uuid \"00000000-0000-0000-0000-000000000000\""),
        with(6, "#inst \"9999-12-31T23:59:59.999999Z\""),
        with(7, ":retract"),
    };
    for (const std::string& t : texts) {
        INFO(t);
        datom::Datom d = parsed(t);
        std::string bytes = payload(d);
        auto r = decoded(bytes);
        REQUIRE(r.ok());
        std::string text = printed(r.value());
        datom::Datom again = parsed(text);
        CHECK(payload(again) == bytes);
        CHECK(printed(again.view()) == text);
        CHECK(datom::content_hash(again.view()) == datom::content_hash(d.view()));
    }
    // tx_time is not part of the content hash; every other field is.
    datom::Datom d = parsed(example);
    datom::Datom other = d;
    other.tx_time += 1;
    CHECK(datom::content_hash(other.view()) == datom::content_hash(d.view()));
    other = d;
    other.is_assert = false;
    CHECK(datom::content_hash(other.view()) != datom::content_hash(d.view()));
    other = d;
    other.valid_to = d.valid_from + 1;
    CHECK(datom::content_hash(other.view()) != datom::content_hash(d.view()));
}
