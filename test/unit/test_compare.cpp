#include "helpers.hpp"

using namespace edn_test;

TEST_CASE("compare: type rank") {
    const char* ordered[] = {"nil",
                             "false",
                             "true",
                             "-99999999999999999999N",
                             "-1",
                             "0",
                             "99999999999999999999N",
                             "##-Inf",
                             "-1.5",
                             "0.0",
                             "1e300",
                             "##Inf",
                             "##NaN",
                             "-1M",
                             "0M",
                             "1.5M",
                             "1.50M",
                             "\\a",
                             "\\b",
                             "\"\"",
                             "\"a\"",
                             "\"ab\"",
                             "\"b\"",
                             ":a",
                             ":a/b",
                             ":b",
                             "a",
                             "b",
                             "#inst \"1969-12-31T23:59:59Z\"",
                             "#inst \"1970-01-01T00:00:00Z\"",
                             "#inst \"1970-01-01T00:00:00.000000001Z\"",
                             "#uuid \"00000000-0000-0000-0000-000000000000\"",
                             "#uuid \"ff000000-0000-0000-0000-000000000000\"",
                             "()",
                             "(1)",
                             "(1 2)",
                             "(2)",
                             "[]",
                             "[nil]",
                             "[1]",
                             "{}",
                             "{:a 1}",
                             "{:a 1 :b 2}",
                             "{:a 2}",
                             "{:b 0}",
                             "#{}",
                             "#{1}",
                             "#{1 2}",
                             "#{2}",
                             "#a 1",
                             "#a 2",
                             "#b 0"};
    size_t n = sizeof(ordered) / sizeof(ordered[0]);
    for (size_t i = 0; i < n; ++i) {
        for (size_t j = 0; j < n; ++j) {
            INFO(ordered[i] << " vs " << ordered[j]);
            int c = cmp(ordered[i], ordered[j]);
            CHECK((i < j ? c < 0 : (i > j ? c > 0 : c == 0)));
        }
    }
}

TEST_CASE("compare: numbers within a type") {
    CHECK(cmp("9223372036854775807", "9223372036854775808N") < 0);
    CHECK(cmp("-9223372036854775808", "-9223372036854775809N") > 0);
    CHECK(cmp("100000000000000000000N", "99999999999999999999N") > 0);
    CHECK(cmp("-100000000000000000000N", "-99999999999999999999N") < 0);
    CHECK(cmp("123456789012345678901N", "123456789012345678902N") < 0);
    // Decimals: numerically, then the smaller scale first.
    CHECK(cmp("1.5M", "1.50M") < 0);
    CHECK(cmp("1.50M", "1.6M") < 0);
    CHECK(cmp("15E+1M", "150M") < 0);
    CHECK(cmp("150M", "15E+1M") > 0);
    CHECK(cmp("0.1M", "0.09M") > 0);
    CHECK(cmp("-0.1M", "-0.09M") < 0);
    CHECK(cmp("-1.5M", "-1.50M") < 0);
    CHECK(cmp("10M", "9.99M") > 0);
    CHECK(cmp("1E+3M", "999M") > 0);
    CHECK(cmp("0M", "0.0M") < 0);
    CHECK(cmp("0E+2M", "0M") < 0);
    CHECK(cmp("-0.001M", "0E+5M") < 0);
    CHECK(cmp("0.001M", "0E+5M") > 0);
    CHECK(cmp("1.0001M", "1.0000M") > 0);
    CHECK(cmp("1.00010M", "1.0001M") > 0);
    CHECK(cmp("2.5", "2.5") == 0);
    CHECK(cmp("##NaN", "##NaN") == 0);
    CHECK(cmp("##Inf", "##NaN") < 0);
}

TEST_CASE("compare: equal is byte equality") {
    CHECK(edn::equal(vref(rd("{:a 1 :b 2}")), vref(rd("{:b 2, :a 1}"))));
    CHECK_FALSE(edn::equal(vref(rd("1.5M")), vref(rd("1.50M"))));
    CHECK_FALSE(edn::equal(vref(rd("[1]")), vref(rd("(1)"))));
}
