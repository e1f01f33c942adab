#include <algorithm>

#include "generator.hpp"
#include "helpers.hpp"

using namespace edn_test;
namespace edn = persistence::edn;

namespace {
int sign(int x) { return (x > 0) - (x < 0); }
}  // namespace

TEST_CASE("property: print then read gives identical bytes; validate accepts") {
    Generator gen(20261125);
    for (int i = 0; i < 5000; ++i) {
        std::string b = gen.value();
        INFO("iteration " << i << ": " << edn::to_string(vref(b)));
        REQUIRE(valid(b));
        std::string text = edn::to_string(vref(b));
        auto r = edn::read(text);
        if (!r) INFO(r.error().message);
        REQUIRE(r.ok());
        REQUIRE(to_hex(r.value()) == to_hex(b));
        CHECK(edn::compare(vref(b), vref(r.value())) == 0);
    }
}

TEST_CASE("property: compare is a total order consistent with equality") {
    for (bool small : {true, false}) {
        Generator gen(7 + small, small);
        std::vector<std::string> pool;
        for (int i = 0; i < 300; ++i) pool.push_back(gen.value(small ? 2 : 3));
        std::mt19937 rng(99);
        for (int i = 0; i < 20000; ++i) {
            const std::string& a = pool[rng() % pool.size()];
            const std::string& b = pool[rng() % pool.size()];
            const std::string& c = pool[rng() % pool.size()];
            int ab = edn::compare(vref(a), vref(b)), ba = edn::compare(vref(b), vref(a));
            int bc = edn::compare(vref(b), vref(c)), ac = edn::compare(vref(a), vref(c));
            INFO(edn::to_string(vref(a))
                 << " | " << edn::to_string(vref(b)) << " | " << edn::to_string(vref(c)));
            REQUIRE(sign(ab) == -sign(ba));
            REQUIRE((ab == 0) == (a == b));
            REQUIRE(edn::equal(vref(a), vref(b)) == (a == b));
            if (ab <= 0 && bc <= 0) REQUIRE(ac <= 0);
            if (ab >= 0 && bc >= 0) REQUIRE(ac >= 0);
            REQUIRE(edn::compare(vref(a), vref(a)) == 0);
        }
    }
}

TEST_CASE("property: sorting by compare is stable under re-encoding") {
    Generator gen(42, true);
    std::mt19937 rng(5);
    for (int round = 0; round < 200; ++round) {
        std::vector<std::string> values;
        for (int i = 0; i < 30; ++i) values.push_back(gen.value(2));
        auto less = [](const std::string& x, const std::string& y) {
            return edn::compare(vref(x), vref(y)) < 0;
        };
        std::sort(values.begin(), values.end(), less);
        values.erase(std::unique(values.begin(), values.end()), values.end());
        // Re-encode through text and sort again: same order.
        std::vector<std::string> again;
        for (auto& v : values) again.push_back(rd(edn::to_string(vref(v))));
        std::shuffle(again.begin(), again.end(), rng);
        std::sort(again.begin(), again.end(), less);
        REQUIRE(again == values);
        // A set built from any order is the same bytes, its members in that order.
        std::shuffle(again.begin(), again.end(), rng);
        edn::Encoder e1, e2;
        e1.begin(edn::Tag::set);
        e2.begin(edn::Tag::set);
        for (auto& v : values) e1.raw(vref(v));
        for (auto& v : again) e2.raw(vref(v));
        e1.end();
        e2.end();
        auto s1 = e1.finish(), s2 = e2.finish();
        REQUIRE(s1.ok());
        REQUIRE(s2.ok());
        REQUIRE(s1.value() == s2.value());
        for (uint32_t i = 0; i < values.size(); ++i)
            REQUIRE(edn::equal(vref(s1.value()).item(i), vref(values[i])));
    }
}
