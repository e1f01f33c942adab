#include <cmath>

#include "helpers.hpp"
#include "persistence/edn/inst.hpp"

using namespace edn_test;
namespace edn = persistence::edn;

namespace {

template <typename F>
persistence::core::Result<std::string> build(F f, edn::Limits limits = {}) {
    edn::Encoder e(limits);
    f(e);
    return e.finish();
}

template <typename F>
std::string built(F f) {
    auto r = build(f);
    INFO(r.error().message);
    REQUIRE(r.ok());
    return edn::to_string(vref(r.value()));
}

template <typename F>
std::string failure(F f, edn::Limits limits = {}) {
    auto r = build(f, limits);
    REQUIRE_FALSE(r.ok());
    return r.error().code;
}

}  // namespace

TEST_CASE("encoder: canonical numbers") {
    CHECK(built([](edn::Encoder& e) { e.bigint(false, "000123"); }) == "123");
    CHECK(built([](edn::Encoder& e) { e.bigint(true, "0"); }) == "0");
    CHECK(built([](edn::Encoder& e) { e.bigint(true, "9223372036854775808"); }) == "-9223372036854775808");
    CHECK(built([](edn::Encoder& e) { e.bigint(false, "9223372036854775808"); }) == "9223372036854775808N");
    CHECK(built([](edn::Encoder& e) { e.bigint(false, "0009223372036854775808"); }) ==
          "9223372036854775808N");
    CHECK(failure([](edn::Encoder& e) { e.bigint(false, ""); }) == "22P02");
    CHECK(failure([](edn::Encoder& e) { e.bigint(false, "12a"); }) == "22P02");
    CHECK(built([](edn::Encoder& e) { e.decimal(true, "000", 2); }) == "0.00M");
    CHECK(built([](edn::Encoder& e) { e.decimal(false, "0150", 2); }) == "1.50M");
    CHECK(built([](edn::Encoder& e) { e.decimal(true, "15", -2); }) == "-15E+2M");
    CHECK(failure([](edn::Encoder& e) { e.decimal(false, "1", 1000001); }) == "22003");
    CHECK(failure([](edn::Encoder& e) { e.decimal(false, "1.5", 1); }) == "22P02");
    CHECK(built([](edn::Encoder& e) { e.real(-0.0); }) == "0.0");
    auto nan = build([](edn::Encoder& e) { e.real(-std::nan("7")); });
    CHECK(to_hex(nan.value()) == "12000000000000f87f");
}

TEST_CASE("encoder: text values are checked") {
    CHECK(failure([](edn::Encoder& e) { e.string("\xff"); }) == "22021");
    CHECK(failure([](edn::Encoder& e) { e.keyword("\xc0\xaf"); }) == "22021");
    CHECK(failure([](edn::Encoder& e) { e.keyword(""); }) == "22P02");
    CHECK(failure([](edn::Encoder& e) { e.keyword(":a"); }) == "22P02");
    CHECK(failure([](edn::Encoder& e) { e.keyword("a b"); }) == "22P02");
    CHECK(failure([](edn::Encoder& e) { e.symbol("nil"); }) == "22P02");
    CHECK(failure([](edn::Encoder& e) { e.symbol("1a"); }) == "22P02");
    CHECK(failure([](edn::Encoder& e) { e.symbol("a/b/c"); }) == "22P02");
    CHECK(built([](edn::Encoder& e) { e.symbol("a/b"); }) == "a/b");
    CHECK(failure([](edn::Encoder& e) { e.character(0xD800); }) == "22P02");
    CHECK(failure([](edn::Encoder& e) { e.character(0x110000); }) == "22P02");
    CHECK(failure([](edn::Encoder& e) {
              e.begin_tagged("inst");
              e.string("x");
              e.end();
          }) == "22P02");
    CHECK(failure([](edn::Encoder& e) {
              e.begin_tagged("_x");
              e.nil();
              e.end();
          }) == "22P02");
    CHECK(failure([](edn::Encoder& e) { e.inst(edn::Inst{edn::inst_max_seconds + 1, 0}); }) == "22008");
    CHECK(failure([](edn::Encoder& e) { e.inst(edn::Inst{0, 1000000000}); }) == "22008");
    CHECK(built([](edn::Encoder& e) {
              e.inst(edn::Inst{edn::inst_min_seconds, 0});
          }) == "#inst \"0000-01-01T00:00:00.000Z\"");
}

TEST_CASE("encoder: collections") {
    CHECK(built([](edn::Encoder& e) {
              e.begin(edn::Tag::map);
              e.keyword("b");
              e.integer(1);
              e.keyword("a");
              e.begin(edn::Tag::set);
              e.integer(3);
              e.integer(1);
              e.end();
              e.end();
          }) == "{:a #{1 3} :b 1}");
    edn::Encoder e;
    e.begin(edn::Tag::set);
    e.integer(2);
    e.integer(1);
    e.integer(2);
    CHECK_FALSE(e.end());
    CHECK(e.duplicate_item() == 2);
    CHECK(e.error().message == "duplicate set member 2");
    edn::Encoder m;
    m.begin(edn::Tag::map);
    m.keyword("a");
    m.nil();
    m.keyword("a");
    m.nil();
    CHECK_FALSE(m.end());
    CHECK(m.duplicate_item() == 2);
    // Misuse is an internal error, not a crash.
    CHECK(failure([](edn::Encoder& x) {
              x.begin(edn::Tag::map);
              x.nil();
              x.end();
          }) == "XX000");
    CHECK(failure([](edn::Encoder& x) { x.end(); }) == "XX000");
    CHECK(failure([](edn::Encoder& x) {
              x.nil();
              x.nil();
          }) == "XX000");
    CHECK(failure([](edn::Encoder& x) { x.begin(edn::Tag::integer); }) == "XX000");
    CHECK(failure([](edn::Encoder& x) { x.begin(edn::Tag::vector); }) == "XX000");
    CHECK(failure([](edn::Encoder&) {}) == "XX000");
    CHECK(failure([](edn::Encoder& x) {
              x.begin_tagged("t");
              x.nil();
              x.nil();
          }) == "XX000");
    CHECK(failure([](edn::Encoder& x) {
              x.begin_tagged("t");
              x.end();
          }) == "XX000");
}

TEST_CASE("encoder: limits, sticky errors, reuse") {
    edn::Limits limits;
    limits.max_depth = 2;
    CHECK(failure(
              [](edn::Encoder& e) {
                  e.begin(edn::Tag::vector);
                  e.begin(edn::Tag::vector);
                  e.begin(edn::Tag::vector);
              },
              limits) == "54000");
    // raw() counts the depth of the value it appends.
    std::string deep = rd("[[1]]");
    CHECK(failure(
              [&](edn::Encoder& e) {
                  e.begin(edn::Tag::vector);
                  e.raw(vref(deep));
                  e.end();
              },
              limits) == "54000");
    // A value large enough to be walked: a flat one fits, a nested one does not.
    std::string ones;
    for (int i = 0; i < 50; ++i) ones += "1 ";
    std::string flat = rd("[" + ones + "]"), nested = rd("[[" + ones + "]]");
    CHECK(build(
              [&](edn::Encoder& e) {
                  e.begin(edn::Tag::vector);
                  e.raw(vref(flat));
                  e.end();
              },
              limits)
              .ok());
    CHECK(failure(
              [&](edn::Encoder& e) {
                  e.begin(edn::Tag::vector);
                  e.raw(vref(nested));
                  e.end();
              },
              limits) == "54000");
    limits = {};
    limits.max_size = 20;
    edn::Encoder e(limits);
    e.begin(edn::Tag::vector);
    CHECK(e.integer(1));
    CHECK_FALSE(e.integer(2));
    CHECK(e.error().code == "54000");
    CHECK_FALSE(e.nil());  // sticky
    e.reset();
    CHECK(e.ok());
    CHECK(e.integer(7));
    auto r = e.finish();
    REQUIRE(r.ok());
    CHECK(edn::to_string(vref(r.value())) == "7");
    e.reset();
    e.keyword("k");
    auto v = e.finish_view();
    REQUIRE(v.ok());
    CHECK(to_hex(std::string(v.value())) == "22010000006b");
}

TEST_CASE("encoder: discard marks") {
    edn::Encoder e;
    e.begin(edn::Tag::vector);
    e.integer(1);
    auto m = e.begin_discard();
    e.begin(edn::Tag::map);
    e.nil();
    e.nil();
    e.end();
    e.discard(m);
    e.integer(2);
    e.end();
    auto after = e.begin_discard();  // a second top-level value, taken back
    e.integer(3);
    e.discard(after);
    auto r = e.finish();
    REQUIRE(r.ok());
    CHECK(edn::to_string(vref(r.value())) == "[1 2]");
}
