#include "generator.hpp"
#include "helpers.hpp"

using namespace edn_test;
namespace edn = persistence::edn;

namespace {

persistence::core::Status check(const std::string& bytes, const edn::Limits& limits = {}) {
    return edn::validate(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), limits);
}

void rejected(const std::string& hex, const char* code, const char* fragment = "") {
    auto st = check(from_hex(hex));
    INFO(hex << ": " << st.error().message);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == code);
    CHECK(st.error().message.find(fragment) != std::string::npos);
}

}  // namespace

TEST_CASE("validate: accepts encoder output") {
    for (const char* t : {"nil",
                          "true",
                          "false",
                          "42",
                          "-9223372036854775808",
                          "99999999999999999999N",
                          "-99999999999999999999N",
                          "1.5",
                          "##NaN",
                          "##-Inf",
                          "0.0",
                          "1.50M",
                          "0M",
                          "15E+2M",
                          "\\a",
                          "\"\"",
                          "\"h\xc3\xa9\"",
                          ":a/b",
                          "sym",
                          "/",
                          "#inst \"0000-01-01T00:00:00Z\"",
                          "#inst \"9999-12-31T23:59:59.999999999Z\"",
                          "#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"",
                          "()",
                          "[]",
                          "{}",
                          "#{}",
                          "{:a [1 {:b #{1 2}}] :c (x y)}",
                          "#a/b #c [1]"}) {
        INFO(t);
        CHECK(valid(rd(t)));
    }
}

TEST_CASE("validate: specific rejections") {
    // {:a 2 :b 1}, then the same entries with the keys out of order.
    std::string good = rd("{:a 2 :b 1}");
    CHECK(to_hex(good) == to_hex(from_hex("32 32000000 02000000  22 01000000 61  10 0200000000000000 "
                                          "22 01000000 62  10 0100000000000000  "
                                          "00000000 06000000 0f000000 15000000")));
    rejected(
        "32 32000000 02000000  22 01000000 62  10 0100000000000000  22 01000000 61  10 0200000000000000 "
        "00000000 06000000 0f000000 15000000",
        "22P03", "map keys not strictly increasing");
    // #{1 1}
    rejected("331e000000020000001001000000000000001001000000000000000000000009000000", "22P03",
             "set members not strictly increasing");
    // bigint 5 (fits in 64 bits)
    rejected("1101000000 2b 35", "22P03", "64-bit");
    // bigint with a leading zero / bad sign / non-digit
    rejected("1114000000 2b 3039393939393939393939393939393939393939", "22P03", "leading zero");
    rejected("1114000000 20 3939393939393939393939393939393939393939", "22P03", "sign");
    rejected("1114000000 2b 39393939393939393939393939393939393939 2d39", "22P03", "non-digit");
    // -0.0 and a non-canonical NaN
    rejected("120000000000000080", "22P03", "negative zero");
    rejected("12010000000000f87f", "22P03", "NaN");
    rejected("12000000000000f8ff", "22P03", "NaN");
    // decimals: leading zero, negative zero, scale beyond the limit
    rejected("1302000000 2b 00000000 3031", "22P03", "leading zero");
    rejected("1301000000 2d 00000000 30", "22P03", "negative zero");
    rejected("1301000000 2b 41420f00 31", "22P03", "scale");
    // chars: surrogate and beyond U+10FFFF
    rejected("2000d80000", "22P03", "scalar");
    rejected("2000001100", "22P03", "scalar");
    // bad UTF-8 in a string, keyword and tag
    rejected("2101000000ff", "22021");
    rejected("2202000000c0af", "22021");
    rejected("2102000000eda080", "22021");
    // keyword and symbol syntax
    rejected("22020000003a61", "22P03", "keyword");
    rejected("2303000000 6e696c", "22P03", "symbol");  // nil is not a symbol
    rejected("2301000000 31", "22P03", "symbol");
    rejected("2201000000 31", "22P03", "keyword");
    rejected("2201000000 2f", "22P03", "keyword");
    // inst out of range
    rejected("24 0000000000000080 00000000", "22P03", "inst");
    rejected("24 0000000000000000 00ca9a3b", "22P03", "inst");
    // truncated values
    rejected("10010000", "22P03", "truncated");
    rejected("2105000000616263", "22P03");
    rejected("31", "22P03", "truncated");
    rejected("", "22P03");
    // trailing bytes
    rejected("0000", "22P03", "trailing");
    rejected("10010000000000000000", "22P03", "trailing");
    // unknown tag
    rejected("05", "22P03", "unknown tag");
    // [1 2] with a wrong offset, a wrong count, a wrong body length
    CHECK(to_hex(rd("[1 2]")) ==
          to_hex(from_hex("311e000000020000001001000000000000001002000000000000000000000009000000")));
    rejected("311e000000020000001001000000000000001002000000000000000000000008000000", "22P03", "offset");
    rejected("311e000000030000001001000000000000001002000000000000000000000009000000", "22P03");
    rejected("311f000000020000001001000000000000001002000000000000000000000009000000", "22P03");
    rejected("311d000000020000001001000000000000001002000000000000000000000009000000", "22P03");
    rejected("311e000000020000001001000000000000001002000000000000000000000009000000 00", "22P03",
             "trailing");
    rejected("311e000000010000001001000000000000001002000000000000000000000009000000", "22P03");
    rejected("31ffffffff020000001001000000000000001002000000000000000000000009000000", "22P03");
    rejected("3104000000ffffffff", "22P03");
    // a map with an odd item layout: count 1 but one item only
    rejected("320e000000010000000000000000 01000000", "22P03");
    // tagged: bad tag, built-in tag, value not filling the body
    CHECK(to_hex(rd("#a 1")) == to_hex(from_hex("400e0000000100000061100100000000000000")));
    rejected("400e0000000100000031100100000000000000", "22P03", "tag");
    rejected("401100000004000000696e7374100100000000000000", "22P03", "tag");
    rejected("400f000000010000006110010000000000000000 00", "22P03");
    rejected("400d0000000100000061100100000000000000", "22P03");
    rejected("400e0000000200000061100100000000000000", "22P03");
}

TEST_CASE("validate: limits") {
    edn::Limits limits;
    limits.max_depth = 3;
    CHECK(check(rd("[[[1]]]"), limits).ok());
    CHECK(check(rd("[[[[1]]]]"), limits).error().code == "54000");
    CHECK(check(rd("#a #b #c 1"), limits).ok());
    CHECK(check(rd("#a #b #c #d 1"), limits).error().code == "54000");
    limits = {};
    limits.max_size = 8;
    CHECK(check(rd("1"), limits).error().code == "54000");
    CHECK(check(rd("nil"), limits).ok());
}

TEST_CASE("validate: random mutations never crash; accepted bytes round-trip") {
    Generator gen(1234);
    std::mt19937 rng(77);
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string b = gen.value(3);
        std::string m = b;
        int edits = 1 + int(rng() % 4);
        for (int k = 0; k < edits; ++k) {
            switch (rng() % 5) {
                case 0:
                case 1:
                    if (!m.empty()) m[rng() % m.size()] = char(rng());
                    break;
                case 2:
                    if (!m.empty()) m[rng() % m.size()] ^= char(1 << (rng() % 8));
                    break;
                case 3:
                    if (!m.empty()) m.erase(rng() % m.size(), 1 + rng() % 4);
                    break;
                default:
                    m.insert(m.begin() + long(rng() % (m.size() + 1)), char(rng()));
                    break;
            }
        }
        // A copy of exactly the right size, so ASan sees any read past the end.
        std::vector<uint8_t> exact(m.begin(), m.end());
        auto st = edn::validate(exact.data(), exact.size());
        if (!st.ok()) {
            CHECK((st.error().code == "22P03" || st.error().code == "22021" || st.error().code == "54000"));
            continue;
        }
        ++accepted;
        std::string text = edn::to_string(edn::ValueRef(exact.data()));
        auto r = edn::read(text);
        INFO(text);
        REQUIRE(r.ok());
        REQUIRE(r.value() == m);
    }
    CHECK(accepted > 0);
}
