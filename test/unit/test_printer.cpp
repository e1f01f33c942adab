#include <cmath>
#include <functional>
#include <limits>

#include "helpers.hpp"

using namespace edn_test;
namespace edn = persistence::edn;

namespace {

std::string encode(const std::function<void(edn::Encoder&)>& build) {
    edn::Encoder enc;
    build(enc);
    auto r = enc.finish();
    REQUIRE(r.ok());
    return r.take();
}

std::string print_double(double d) {
    return edn::to_string(vref(encode([d](edn::Encoder& e) { e.real(d); })));
}

std::string print_char(uint32_t c) {
    return edn::to_string(vref(encode([c](edn::Encoder& e) { e.character(c); })));
}

std::string print_string(const std::string& s) {
    return edn::to_string(vref(encode([&s](edn::Encoder& e) { e.string(s); })));
}

}  // namespace

TEST_CASE("printer: scalars") {
    CHECK(pr("nil") == "nil");
    CHECK(pr("true") == "true");
    CHECK(pr("false") == "false");
    CHECK(pr("-42") == "-42");
    CHECK(pr("-123456789012345678901234567890N") == "-123456789012345678901234567890N");
    CHECK(pr(":a/b") == ":a/b");
    CHECK(pr("a/b") == "a/b");
}

TEST_CASE("printer: doubles") {
    CHECK(print_double(1.0) == "1.0");
    CHECK(print_double(-1.0) == "-1.0");
    CHECK(print_double(0.0) == "0.0");
    CHECK(print_double(-0.0) == "0.0");
    CHECK(print_double(1e20) == "1e+20");
    CHECK(print_double(1e16) == "1e+16");
    CHECK(print_double(123456789012345680000.0) == "123456789012345683968.0");
    CHECK(print_double(0.1) == "0.1");
    CHECK(print_double(1.0 / 3) == "0.3333333333333333");
    CHECK(print_double(1e-7) == "1e-07");
    CHECK(print_double(5e-324) == "5e-324");
    CHECK(print_double(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
    CHECK(print_double(std::numeric_limits<double>::infinity()) == "##Inf");
    CHECK(print_double(-std::numeric_limits<double>::infinity()) == "##-Inf");
    CHECK(print_double(std::nan("")) == "##NaN");
    CHECK(print_double(-std::nan("1")) == "##NaN");
    for (double d : {1.0, 1e20, 1e-7, 5e-324, 0.1, 123456789012345680000.0, -2.5, 1.7976931348623157e308}) {
        std::string b = encode([d](edn::Encoder& e) { e.real(d); });
        CHECK(rd(edn::to_string(vref(b))) == b);
    }
}

TEST_CASE("printer: decimals") {
    CHECK(pr("1.50M") == "1.50M");
    CHECK(pr("0.05M") == "0.05M");
    CHECK(pr("-3M") == "-3M");
    CHECK(pr("15E+2M") == "15E+2M");
    CHECK(pr("1.5e3M") == "15E+2M");
    CHECK(pr("0E+3M") == "0E+3M");
    CHECK(pr("-0.000M") == "0.000M");
    CHECK(pr("123.456M") == "123.456M");
    CHECK(pr("0.5M") == "0.5M");
    CHECK(pr("1e-5M") == "0.00001M");
    auto plain = [](const std::string& text) {
        std::string out;
        edn::format_decimal_plain(vref(rd(text)).as_decimal(), out);
        return out;
    };
    CHECK(plain("-12.50M") == "-12.50");
    CHECK(plain("15E+2M") == "1500");
    CHECK(plain("0E+3M") == "0");
    CHECK(plain("0.05M") == "0.05");
    CHECK(plain("7M") == "7");
    CHECK(plain("-0.001M") == "-0.001");
    for (const char* t :
         {"1.50M", "0.05M", "-3M", "15E+2M", "0E+3M", "0.000M", "-9.999E-10M", "12345678901234567890.5M"}) {
        std::string b = rd(t);
        CHECK(rd(edn::to_string(vref(b))) == b);
    }
}

TEST_CASE("printer: characters") {
    CHECK(print_char('a') == "\\a");
    CHECK(print_char('\n') == "\\newline");
    CHECK(print_char('\r') == "\\return");
    CHECK(print_char(' ') == "\\space");
    CHECK(print_char('\t') == "\\tab");
    CHECK(print_char('\f') == "\\formfeed");
    CHECK(print_char('\b') == "\\backspace");
    CHECK(print_char(0) == "\\u0000");
    CHECK(print_char(0x1B) == "\\u001B");
    CHECK(print_char(0x7F) == "\\u007F");
    CHECK(print_char(0x85) == "\\u0085");
    CHECK(print_char(0xA0) == "\\\xc2\xa0");
    CHECK(print_char(0xE9) == "\\\xc3\xa9");
    CHECK(print_char(0x1F600) == "\\\xf0\x9f\x98\x80");
    CHECK(print_char('(') == "\\(");
    CHECK(print_char('"') == "\\\"");
    CHECK(print_char(',') == "\\,");
    CHECK(print_char('\\') == "\\\\");
    for (uint32_t c = 0; c < 0x200; ++c) {
        std::string b = encode([c](edn::Encoder& e) { e.character(c); });
        INFO(c);
        CHECK(rd(edn::to_string(vref(b))) == b);
        CHECK(rd("[" + edn::to_string(vref(b)) + "]") == encode([&b](edn::Encoder& e) {
                  e.begin(edn::Tag::vector);
                  e.raw(vref(b));
                  e.end();
              }));
    }
}

TEST_CASE("printer: strings") {
    CHECK(print_string("plain") == "\"plain\"");
    CHECK(print_string("q\"b\\n\nt\tr\rb\bf\f") == "\"q\\\"b\\\\n\\nt\\tr\\rb\\bf\\f\"");
    CHECK(print_string(std::string("a\0b", 3)) == "\"a\\u0000b\"");
    CHECK(print_string("\x01\x1f\x7f") == "\"\\u0001\\u001F\\u007F\"");
    CHECK(print_string("\xc2\x85\xc3\xa9\xf0\x9f\x98\x80") == "\"\xc2\x85\xc3\xa9\xf0\x9f\x98\x80\"");
    CHECK(print_string("/") == "\"/\"");
    std::string all;
    for (int c = 1; c < 0x80; ++c) all += char(c);
    std::string b = encode([&all](edn::Encoder& e) { e.string(all); });
    CHECK(rd(edn::to_string(vref(b))) == b);
}

TEST_CASE("printer: inst, uuid, collections, tagged") {
    CHECK(pr("#inst \"2026-11-25T10:00:00Z\"") == "#inst \"2026-11-25T10:00:00.000Z\"");
    CHECK(pr("#inst \"2026-11-25T10:00:00.120Z\"") == "#inst \"2026-11-25T10:00:00.120Z\"");
    CHECK(pr("#inst \"2026-11-25T10:00:00.000001Z\"") == "#inst \"2026-11-25T10:00:00.000001Z\"");
    CHECK(pr("#inst \"2026-11-25T10:00:00.000000001Z\"") == "#inst \"2026-11-25T10:00:00.000000001Z\"");
    CHECK(pr("#uuid \"F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6\"") ==
          "#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"");
    CHECK(pr("( 1   2 )") == "(1 2)");
    CHECK(pr("[ 1 , 2 ]") == "[1 2]");
    CHECK(pr("{:b 2, :a 1}") == "{:a 1 :b 2}");
    CHECK(pr("#{2 1}") == "#{1 2}");
    CHECK(pr("#tag   value") == "#tag value");
    CHECK(pr("{nil 0 false 1 true 2 0 3 0.0 4 0M 5 \\a 6 \"a\" 7 :a 8 a 9 #inst \"2000-01-01T00:00:00Z\" 10 "
             "#uuid \"00000000-0000-0000-0000-000000000000\" 11 () 12 [] 13 {} 14 #{} 15 #t 1 16}") ==
          "{nil 0 false 1 true 2 0 3 0.0 4 0M 5 \\a 6 \"a\" 7 :a 8 a 9 #inst \"2000-01-01T00:00:00.000Z\" 10 "
          "#uuid \"00000000-0000-0000-0000-000000000000\" 11 () 12 [] 13 {} 14 #{} 15 #t 1 16}");
}

TEST_CASE("printer: print(read(text)) is stable") {
    for (const char* t :
         {"[1 2.5 -3.25e-8 4N 5.0M \"x\\ny\" \\z :k/w sym]", "{:z [1 {:y #{3 2 1}}] :a (nil true false)}",
          "#my/tag {#inst \"2026-01-01T00:00:00+05:00\" #uuid \"00000000-0000-0000-0000-00000000000A\"}",
          "#{\"b\" \"a\" [1] (1) {1 2} #{} ##NaN ##Inf ##-Inf -0.0}",
          "[\\space \\newline \\u0000 \\u0085 \\\xc3\xa9 \\\" \\; \\,]"}) {
        std::string once = pr(t);
        INFO(t << " -> " << once);
        CHECK(pr(once) == once);
        CHECK(rd(once) == rd(t));
    }
}
