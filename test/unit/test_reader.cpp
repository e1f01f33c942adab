#include <chrono>

#include "helpers.hpp"
#include "persistence/edn/inst.hpp"

using namespace edn_test;
using persistence::core::Error;

namespace {

// The error's SQLSTATE and that its message names the position.
void check_error(const std::string& text, const char* code, const std::string& position,
                 const std::string& fragment = "") {
    Error e = err(text);
    INFO("text: " << text << "\nmessage: " << e.message);
    CHECK(e.code == code);
    CHECK(e.message.find(position) != std::string::npos);
    if (!fragment.empty()) CHECK(e.message.find(fragment) != std::string::npos);
}

}  // namespace

TEST_CASE("reader: nil, booleans, integers") {
    CHECK(to_hex(rd("nil")) == "00");
    CHECK(to_hex(rd("false")) == "01");
    CHECK(to_hex(rd("true")) == "02");
    CHECK(to_hex(rd("42")) == "102a00000000000000");
    CHECK(pr("0") == "0");
    CHECK(pr("-0") == "0");
    CHECK(pr("+5") == "5");
    CHECK(pr("-17") == "-17");
    CHECK(pr("9223372036854775807") == "9223372036854775807");
    CHECK(pr("-9223372036854775808") == "-9223372036854775808");
}

TEST_CASE("reader: arbitrary-precision integers") {
    CHECK(pr("7N") == "7");  // fits in 64 bits: stored as an integer
    CHECK(rd("7N") == rd("7"));
    CHECK(pr("-9223372036854775808N") == "-9223372036854775808");
    CHECK(pr("9223372036854775808N") == "9223372036854775808N");
    CHECK(pr("-9223372036854775809N") == "-9223372036854775809N");
    CHECK(pr("123456789012345678901234567890N") == "123456789012345678901234567890N");
    CHECK(pr("+123456789012345678901234567890N") == "123456789012345678901234567890N");
    CHECK(to_hex(rd("9223372036854775808N")) ==
          "1113000000"
          "2b" +
              to_hex("9223372036854775808"));

    Error e = err("9223372036854775808");
    CHECK(e.code == "22003");
    CHECK(e.message.find("line 1, column 1") != std::string::npos);
    CHECK(e.hint.find("ppend N for an arbitrary-precision integer") != std::string::npos);
    check_error("[1 -9223372036854775809]", "22003", "line 1, column 4");
}

TEST_CASE("reader: doubles") {
    CHECK(pr("1.5") == "1.5");
    CHECK(pr("-2e10") == "-2e+10");
    CHECK(pr("-2.5e3") == "-2500.0");
    CHECK(pr("1.0E-3") == "0.001");
    CHECK(pr("3e+2") == "300.0");
    CHECK(pr("1.0") == "1.0");
    CHECK(pr("1e20") == "1e+20");
    CHECK(pr("1.") == "1.0");
    CHECK(pr("5e-324") == "5e-324");  // denormals are representable, so accepted
    CHECK(pr("##Inf") == "##Inf");
    CHECK(pr("##-Inf") == "##-Inf");
    CHECK(pr("##NaN") == "##NaN");
    CHECK(to_hex(rd("-0.0")) == to_hex(rd("0.0")));
    CHECK(to_hex(rd("##NaN")) == "12000000000000f87f");
    check_error("1e400", "22003", "line 1, column 1");
    check_error("-1e400", "22003", "line 1, column 1");
    check_error("1e-400", "22003", "line 1, column 1");
    check_error("1e", "22P02", "line 1, column 1");
    check_error("1.5e+", "22P02", "line 1, column 1");
    check_error("1.5N", "22P02", "line 1, column 1");
    check_error("##Infinity", "22P02", "line 1, column 1");
    check_error("##", "22P02", "line 1, column 1");
}

TEST_CASE("reader: decimals keep coefficient and scale") {
    auto parts = [](const std::string& text) {
        std::string b = rd(text);
        auto d = vref(b).as_decimal();
        return std::string(d.negative ? "-" : "+") + std::string(d.digits) + "e" + std::to_string(d.scale);
    };
    CHECK(parts("1.50M") == "+150e2");
    CHECK(parts("1.5E3M") == "+15e-2");
    CHECK(parts("-0.0M") == "+0e1");
    CHECK(parts("7M") == "+7e0");
    CHECK(parts("-3M") == "-3e0");
    CHECK(parts("0.05M") == "+5e2");
    CHECK(pr("1.50M") == "1.50M");
    CHECK(pr("1.5E3M") == "15E+2M");
    CHECK(pr("-1.5e-3M") == "-0.0015M");
    CHECK(pr("-0.0M") == "0.0M");
    CHECK(rd("1.5M") != rd("1.50M"));
    check_error("1E1000001M", "22003", "line 1, column 1");
    check_error("1E-1000001M", "22003", "line 1, column 1");
    CHECK(pr("1E-1000000M").size() > 1000000);
    check_error("1.5MM", "22P02", "line 1, column 1");
}

TEST_CASE("reader: malformed numbers") {
    check_error("01", "22P02", "line 1, column 1", "'01'");
    check_error("-01", "22P02", "line 1, column 1");
    check_error("01.5", "22P02", "line 1, column 1");
    check_error("1/2", "22P02", "line 1, column 1", "'1/2'");
    check_error("0x1F", "22P02", "line 1, column 1");
    check_error("1a", "22P02", "line 1, column 1");
    check_error("[1 2 3abc]", "22P02", "line 1, column 6", "'3abc'");
    check_error(".5", "22P02", "line 1, column 1");
}

TEST_CASE("reader: strings and escapes") {
    CHECK(to_hex(rd("\"hello\"")) == "210500000068656c6c6f");
    std::string b = rd(R"("\" \\ \n \t \r \b \f \/ \u0041 \u00e9 \uD83D\uDE00")");
    CHECK(vref(b).as_text() == "\" \\ \n \t \r \b \f / A \xc3\xa9 \xf0\x9f\x98\x80");
    b = rd(R"("a\u0000b")");
    CHECK(vref(b).as_text() == std::string("a\0b", 3));
    CHECK(vref(rd("\"line1\nline2\"")).as_text() == "line1\nline2");
    CHECK(vref(rd("\"\xc3\xa9t\xc3\xa9\"")).as_text() == "\xc3\xa9t\xc3\xa9");
    CHECK(pr("\"\"") == "\"\"");

    check_error(R"("abc)", "22P02", "line 1, column 1", "expected '\"' to close the string opened at");
    check_error("[1\n  \"abc", "22P02", "line 2, column 3");
    check_error(R"("a\qb")", "22P02", "line 1, column 3", "invalid escape");
    check_error(R"("\u12")", "22P02", "line 1, column 2");
    check_error(R"("\u12G4")", "22P02", "line 1, column 2");
    check_error(R"("\uD83D")", "22P02", "line 1, column 2", "surrogate");
    check_error(R"("\uDE00")", "22P02", "line 1, column 2", "surrogate");
    check_error(R"("\uD83Dx")", "22P02", "line 1, column 2");
    check_error(R"("\uD83D\u0041")", "22P02", "line 1, column 2");
    check_error("\"\\", "22P02", "line 1, column 1");
}

TEST_CASE("reader: characters") {
    auto ch = [](const std::string& text) { return vref(rd(text)).as_char(); };
    CHECK(ch("\\a") == 'a');
    CHECK(ch("\\newline") == '\n');
    CHECK(ch("\\return") == '\r');
    CHECK(ch("\\space") == ' ');
    CHECK(ch("\\tab") == '\t');
    CHECK(ch("\\formfeed") == '\f');
    CHECK(ch("\\backspace") == '\b');
    CHECK(ch("\\u0041") == 'A');
    CHECK(ch("\\u00e9") == 0xE9);
    CHECK(ch("\\u0000") == 0);
    CHECK(ch("\\\xc3\xa9") == 0xE9);
    CHECK(ch("\\\xf0\x9f\x98\x80") == 0x1F600);
    CHECK(ch("\\(") == '(');
    CHECK(ch("\\\"") == '"');
    CHECK(ch("\\;") == ';');
    CHECK(ch("\\,") == ',');
    CHECK(ch("\\\\") == '\\');
    CHECK(ch("\\u") == 'u');
    CHECK(ch("\\n") == 'n');
    CHECK(pr("[\\a \\b]") == "[\\a \\b]");
    CHECK(pr("(\\()") == "(\\()");
    CHECK(pr("[\\)]") == "[\\)]");

    check_error("\\", "22P02", "line 1, column 1");
    check_error("\\ ", "22P02", "line 1, column 1");
    check_error("[\\\n]", "22P02", "line 1, column 2");
    check_error("\\ab", "22P02", "line 1, column 1", "'\\ab'");
    check_error("\\newlinex", "22P02", "line 1, column 1");
    check_error("\\uD800", "22P02", "line 1, column 1");
    check_error("\\u12", "22P02", "line 1, column 1");
    check_error("\\(a", "22P02", "line 1, column 1");
}

TEST_CASE("reader: symbols and keywords") {
    for (const char* s : {"foo", "foo/bar", "/", "-", "+", "->", "-a", "+a", ".a", "a.b", "*x*", "!?$%&=<>_",
                          "a#b", "a:b", "a'b", "x1", "\xc3\xa9t\xc3\xa9", "ns.x/y.z", "nil?"}) {
        INFO(s);
        std::string b = rd(s);
        CHECK(vref(b).tag() == persistence::edn::Tag::symbol);
        CHECK(vref(b).as_text() == s);
        CHECK(pr(s) == s);
    }
    std::string k = rd(":ns/name");
    CHECK(vref(k).tag() == persistence::edn::Tag::keyword);
    CHECK(vref(k).as_text() == "ns/name");
    CHECK(to_hex(rd(":a")) == "220100000061");
    CHECK(pr(":nil") == ":nil");
    CHECK(pr(":a:b") == ":a:b");

    check_error("a/b/c", "22P02", "line 1, column 1", "'a/b/c'");
    check_error("a/", "22P02", "line 1, column 1");
    check_error("/a", "22P02", "line 1, column 1");
    check_error("-1a", "22P02", "line 1, column 1");
    check_error("a/1b", "22P02", "line 1, column 1");
    check_error("@foo", "22P02", "line 1, column 1");
    check_error("'foo", "22P02", "line 1, column 1");
    check_error("foo@", "22P02", "line 1, column 1");
    check_error("::x", "22P02", "line 1, column 1", "'::x'");
    check_error(":", "22P02", "line 1, column 1");
    check_error(":/", "22P02", "line 1, column 1");
    check_error("[:a :]", "22P02", "line 1, column 5");
    check_error(":1a", "22P02", "line 1, column 1");
}

TEST_CASE("reader: collections") {
    CHECK(pr("()") == "()");
    CHECK(pr("[]") == "[]");
    CHECK(pr("{}") == "{}");
    CHECK(pr("#{}") == "#{}");
    CHECK(pr("(1 2 3)") == "(1 2 3)");
    CHECK(pr("[1, 2,, 3]") == "[1 2 3]");
    CHECK(pr("{:b 1, :a 2}") == "{:a 2 :b 1}");
    CHECK(pr("#{:b :a \"x\" 1}") == "#{1 \"x\" :a :b}");
    CHECK(pr("[[] [[]] {:a {:b #{}}}]") == "[[] [[]] {:a {:b #{}}}]");
    CHECK(pr("{[1 2] :v, (1 2) :l}") == "{(1 2) :l [1 2] :v}");

    check_error("{:a 1 :b}", "22P02", "line 1, column 1", "map literal must contain an even number of forms");
    check_error("{:a 1 :a 2}", "22P02", "line 1, column 7", "duplicate map key :a");
    check_error("{:b 0 :a 1 :c 2 :a 2}", "22P02", "line 1, column 17", "duplicate map key :a");
    check_error("{:a 1\n :b 2\n :a 3}", "22P02", "line 3, column 2", "duplicate map key :a");
    check_error("#{1 2 1}", "22P02", "line 1, column 7", "duplicate set member 1");
    check_error("#{3 1 2 1 3}", "22P02", "line 1, column 9", "duplicate set member 1");
    check_error("#{[1 2] [1 2]}", "22P02", "line 1, column 9", "duplicate set member [1 2]");
    check_error("[1 2", "22P02", "line 1, column 5",
                "expected ']' to close the vector opened at line 1, column 1, found end of input");
    check_error("[1 2)", "22P02", "line 1, column 5", "found ')'");
    check_error("(1 2]", "22P02", "line 1, column 1", "expected ')' to close the list");
    check_error("#{1 2", "22P02", "line 1, column 1", "set");
    check_error("{:a 1", "22P02", "line 1, column 1", "map");
    check_error(")", "22P02", "line 1, column 1");
    check_error("[1] ]", "22P02", "line 1, column 5");
}

TEST_CASE("reader: whitespace, comments, discard, top level") {
    CHECK(pr("  \t\n\r,, 42 ,\n") == "42");
    CHECK(pr("; comment\n42 ; trailing") == "42");
    CHECK(pr("[1 ; one\n 2]") == "[1 2]");
    CHECK(pr("#_ 1 2") == "2");
    CHECK(pr("1 #_ 2") == "1");
    CHECK(pr("1 #_ [2 3] ; end") == "1");
    CHECK(pr("[1 #_ 2 3]") == "[1 3]");
    CHECK(pr("[#_ #_ 1 2 3]") == "[3]");
    CHECK(pr("{:a #_ :b 1}") == "{:a 1}");
    CHECK(pr("{#_ :x :a 1 #_ {:nested 1}}") == "{:a 1}");
    CHECK(pr("#{1 #_ 1 2}") == "#{1 2}");
    CHECK(pr("#_ #foo 1 2") == "2");
    CHECK(pr("#foo #_ 1 2") == "#foo 2");

    check_error("", "22P02", "line 1, column 1", "expected a value");
    CHECK(edn::read(std::string_view()).error().message.find("line 1, column 1") != std::string::npos);
    check_error("   ", "22P02", "line 1, column 4", "expected a value");
    check_error("; only a comment", "22P02", "line 1, column 17", "expected a value");
    check_error("#_", "22P02", "line 1, column 1", "expected a value");
    check_error("#_ 1", "22P02", "line 1, column 5", "expected a value");
    check_error("[#_]", "22P02", "line 1, column 4", "expected a value");
    check_error("1 2", "22P02", "line 1, column 3", "expected end of input");
    check_error("[1] [2]", "22P02", "line 1, column 5", "expected end of input");
    check_error("1 #_", "22P02", "line 1, column 3");
    check_error("[#foo]", "22P02", "line 1, column 6");
    check_error("#foo", "22P02", "line 1, column 1");
}

TEST_CASE("reader: discarded values are still read") {
    check_error("[#_ {:a 1 :a 2} 1]", "22P02", "line 1, column 11", "duplicate map key");
    check_error("[#_ 01 1]", "22P02", "line 1, column 5");
}

TEST_CASE("reader: #inst") {
    CHECK(rd("#inst \"2026-11-25T12:00:00+02:00\"") == rd("#inst \"2026-11-25T10:00:00Z\""));
    CHECK(rd("#inst \"2026-11-25t10:00:00z\"") == rd("#inst \"2026-11-25T10:00:00Z\""));
    CHECK(rd("#inst \"2026-11-25T05:30:00-04:30\"") == rd("#inst \"2026-11-25T10:00:00Z\""));
    CHECK(rd("#inst\"2026-11-25T10:00:00Z\"") == rd("#inst \"2026-11-25T10:00:00Z\""));
    CHECK(rd("#inst ; why not\n \"2026-11-25T10:00:00Z\"") == rd("#inst \"2026-11-25T10:00:00Z\""));
    CHECK(pr("#inst \"2026-11-25T12:00:00+02:00\"") == "#inst \"2026-11-25T10:00:00.000Z\"");
    CHECK(pr("#inst \"2026-11-25T10:00:00.5Z\"") == "#inst \"2026-11-25T10:00:00.500Z\"");
    CHECK(pr("#inst \"2026-11-25T10:00:00.1234Z\"") == "#inst \"2026-11-25T10:00:00.123400Z\"");
    CHECK(pr("#inst \"2026-11-25T10:00:00.123456789Z\"") == "#inst \"2026-11-25T10:00:00.123456789Z\"");
    CHECK(pr("#inst \"1970-01-01T00:00:00Z\"") == "#inst \"1970-01-01T00:00:00.000Z\"");
    CHECK(pr("#inst \"0000-01-01T00:00:00Z\"") == "#inst \"0000-01-01T00:00:00.000Z\"");
    CHECK(pr("#inst \"9999-12-31T23:59:59.999999999Z\"") == "#inst \"9999-12-31T23:59:59.999999999Z\"");
    CHECK(pr("#inst \"2024-02-29T00:00:00Z\"") == "#inst \"2024-02-29T00:00:00.000Z\"");
    CHECK(pr("#inst \"1969-12-31T23:59:59.999Z\"") == "#inst \"1969-12-31T23:59:59.999Z\"");
    CHECK(pr("#inst \"2000-01-01T00:30:00+01:00\"") == "#inst \"1999-12-31T23:30:00.000Z\"");
    auto t = vref(rd("#inst \"2026-11-25T10:00:00.25Z\"")).as_inst();
    CHECK(t.seconds == 1795600800);
    CHECK(t.nanos == 250000000);

    check_error("#inst \"2026-13-01T00:00:00Z\"", "22008", "line 1, column 7", "month");
    check_error("#inst \"2026-00-01T00:00:00Z\"", "22008", "line 1, column 7", "month");
    check_error("#inst \"2026-02-29T00:00:00Z\"", "22008", "line 1, column 7", "day");
    check_error("#inst \"2026-04-31T00:00:00Z\"", "22008", "line 1, column 7", "day");
    check_error("#inst \"2026-01-01T24:00:00Z\"", "22008", "line 1, column 7", "hour");
    check_error("#inst \"2026-01-01T00:60:00Z\"", "22008", "line 1, column 7", "minute");
    check_error("#inst \"2026-12-31T23:59:60Z\"", "22008", "line 1, column 7", "second");
    check_error("#inst \"2026-01-01T00:00:00+24:00\"", "22008", "line 1, column 7", "offset hour");
    check_error("#inst \"2026-01-01T00:00:00+01:60\"", "22008", "line 1, column 7", "offset minute");
    check_error("#inst \"0000-01-01T00:00:00+00:01\"", "22008", "line 1, column 7", "year");
    check_error("#inst \"9999-12-31T23:59:59-00:01\"", "22008", "line 1, column 7", "year");
    check_error("#inst \"2026-01-01T00:00:00.1234567891Z\"", "22P02", "line 1, column 7", "9 digits");
    check_error("#inst \"2026-01-01T00:00:00\"", "22P02", "line 1, column 7");
    check_error("#inst \"2026-01-01 00:00:00Z\"", "22P02", "line 1, column 7");
    check_error("#inst \"2026-1-01T00:00:00Z\"", "22P02", "line 1, column 7");
    check_error("#inst \"2026-01-01T00:00:00.Z\"", "22P02", "line 1, column 7");
    check_error("#inst \"2026-01-01T00:00:00+0100\"", "22P02", "line 1, column 7");
    check_error("#inst \"2026-01-01T00:00:00Zx\"", "22P02", "line 1, column 7");
    check_error("#inst \"\"", "22P02", "line 1, column 7");
    check_error("#inst 1", "22P02", "line 1, column 7", "expected a string after #inst");
    check_error("#inst", "22P02", "line 1, column 6", "expected a string after #inst");
    check_error("[#inst [1]]", "22P02", "line 1, column 8");
}

TEST_CASE("reader: #uuid") {
    std::string b = rd("#uuid \"F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6\"");
    CHECK(to_hex(b) == "25f81d4fae7dec11d0a76500a0c91e6bf6");
    CHECK(pr("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"") ==
          "#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"");
    check_error("#uuid \"f81d4fae7dec11d0a76500a0c91e6bf6\"", "22P02", "line 1, column 7");
    check_error("#uuid \"g81d4fae-7dec-11d0-a765-00a0c91e6bf6\"", "22P02", "line 1, column 7");
    check_error("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf\"", "22P02", "line 1, column 7");
    check_error("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6 \"", "22P02", "line 1, column 7");
    check_error("#uuid :x", "22P02", "line 1, column 7");
}

TEST_CASE("reader: tagged values") {
    CHECK(pr("#my/thing [1 2]") == "#my/thing [1 2]");
    CHECK(pr("#foo 1") == "#foo 1");
    CHECK(pr("#foo{:a 1}") == "#foo {:a 1}");
    CHECK(pr("#a #b #c nil") == "#a #b #c nil");
    CHECK(pr("#foo #inst \"2026-01-01T00:00:00Z\"") == "#foo #inst \"2026-01-01T00:00:00.000Z\"");
    std::string b = rd("#foo 1");
    CHECK(vref(b).tag_name() == "foo");
    CHECK(vref(b).tagged_value().as_int() == 1);
    check_error("#1", "22P02", "line 1, column 1");
    check_error("#:a 1", "22P02", "line 1, column 1");
    check_error("#-foo 1", "22P02", "line 1, column 1");
    check_error("# foo", "22P02", "line 1, column 1");
    check_error("#", "22P02", "line 1, column 1");
    check_error("#a/b/c 1", "22P02", "line 1, column 1");
    check_error("#nil 1", "22P02", "line 1, column 1");
}

TEST_CASE("reader: UTF-8 and NUL") {
    check_error("\"\xff\"", "22021", "line 1, column 2");
    check_error("[1\n \"a\xc3\"]", "22021", "line 2, column 4");
    check_error("\"\xc0\x80\"", "22021", "line 1, column 2");              // overlong NUL
    check_error("\"\xe0\x80\xaf\"", "22021", "line 1, column 2");          // overlong
    check_error("\"\xed\xa0\x80\"", "22021", "line 1, column 2");          // surrogate
    check_error("\"\xf4\x90\x80\x80\"", "22021", "line 1, column 2");      // > U+10FFFF
    check_error("\"\xc3\xa9\xc3\xa9\xff\"", "22021", "line 1, column 4");  // columns count characters
    check_error(std::string("[1 \0]", 5), "22P02", "line 1, column 4", "NUL");
    check_error(std::string("\"a\0\"", 4), "22P02", "line 1, column 3", "NUL");
    // Columns count code points.
    check_error("[\"\xc3\xa9\xc3\xa9\" 01]", "22P02", "line 1, column 7");
}

TEST_CASE("reader: depth limit") {
    persistence::edn::Limits limits;
    limits.max_depth = 8;
    std::string ok = std::string(8, '[') + std::string(8, ']');
    CHECK(edn::read(ok, limits).ok());
    Error e = err(std::string(9, '[') + std::string(9, ']'), limits);
    CHECK(e.code == "54000");
    CHECK(e.message.find("EDN value nested too deeply") != std::string::npos);
    CHECK(e.message.find("line 1, column 9") != std::string::npos);
    CHECK(e.hint.find("persistence.edn_max_depth (8)") != std::string::npos);
    // Tags count as a level.
    CHECK(edn::read("#a #b #c #d [[[[1]]]]", limits).ok());
    CHECK(err("#a #b #c #d [[[[[1]]]]]", limits).code == "54000");
    CHECK(err("#a #b #c #d #e #f #g #h #i 1", limits).code == "54000");
    // Discarded values are read, so they are limited too.
    CHECK(err("[#_ [[[[[[[[1]]]]]]]] 2]", limits).code == "54000");

    // No Limits can allow more than max_depth_ceiling: the recursive walkers rely on it.
    limits.max_depth = 1000000;
    uint32_t ceiling = persistence::edn::max_depth_ceiling;
    std::string deepest = rd(std::string(ceiling, '[') + std::string(ceiling, ']'), limits);
    CHECK(valid(deepest, limits));
    CHECK(edn::to_string(vref(deepest)).size() == 2 * ceiling);
    CHECK(edn::compare(vref(deepest), vref(deepest)) == 0);
    e = err(std::string(ceiling + 1, '[') + std::string(ceiling + 1, ']'), limits);
    CHECK(e.code == "54000");
    CHECK(e.hint.find("(10000)") != std::string::npos);

    // The default limit and a million brackets: rejected at once, without recursion.
    auto t0 = std::chrono::steady_clock::now();
    e = err(std::string(1000000, '['));
    CHECK(e.code == "54000");
    e = err(std::string(1000000, '{'));
    CHECK(e.code == "54000");
    e = err(std::string(1000000, '#'));
    CHECK(e.code == "22P02");
    std::string tags;
    for (int i = 0; i < 100000; ++i) tags += "#a ";
    CHECK(err(tags).code == "54000");
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
}

TEST_CASE("reader: size limit") {
    persistence::edn::Limits limits;
    limits.max_size = 64;
    CHECK(edn::read("[1 2 3]", limits).ok());
    Error e = err("\"" + std::string(100, 'x') + "\"", limits);
    CHECK(e.code == "54000");
    CHECK(e.message.find("EDN value is too large") != std::string::npos);
    CHECK(e.hint.find("persistence.edn_max_size") != std::string::npos);
    CHECK(err("[1 2 3 4 5 6 7 8 9 10]", limits).code == "54000");
    // 59 bytes of string body: exactly 64 with the header.
    CHECK(edn::read("\"" + std::string(59, 'x') + "\"", limits).ok());
    CHECK(err("\"" + std::string(60, 'x') + "\"", limits).code == "54000");
}

TEST_CASE("reader: linear time on large inputs") {
    std::string text = "[";
    for (long long i = 0; text.size() < 10 * 1000 * 1000; ++i) {
        text += std::to_string(i * 7919 % 100003);
        text += " \"s";
        text += std::to_string(i);
        text += "\" ";
    }
    text += "]";
    auto t0 = std::chrono::steady_clock::now();
    auto r = edn::read(text);
    auto elapsed = std::chrono::steady_clock::now() - t0;
    REQUIRE(r.ok());
    CHECK(vref(r.value()).count() > 1000000);
    CHECK(elapsed < std::chrono::seconds(10));  // generous: sanitizer builds are slow

    // A large map whose keys arrive unsorted.
    std::string m = "{";
    for (int i = 0; i < 200000; ++i)
        m += ":k" + std::to_string((i * 7919) % 200003) + " " + std::to_string(i) + " ";
    m += "}";
    t0 = std::chrono::steady_clock::now();
    r = edn::read(m);
    REQUIRE(r.ok());
    CHECK(vref(r.value()).count() == 200000);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));

    // Long runs of whitespace and comments.
    std::string ws = std::string(5000000, ' ') + ";" + std::string(5000000, 'x') + "\n1";
    CHECK(pr(ws) == "1");
}
