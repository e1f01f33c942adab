// coerce(): what converts, what is left alone, and the 22023 error with its DETAIL.
#include "spec_helpers.hpp"

using namespace spec_test;

TEST_CASE("spec coerce: strings into scalars", "[spec][coerce]") {
    CHECK(coerced(S(":int"), "\"42\"") == "42");
    CHECK(coerced(S(":int"), "\"-7\"") == "-7");
    CHECK(coerced(S(":int"), "\"+7\"") == "7");
    CHECK(coerced(S(":int"), "\"123456789012345678901234567890\"") == "123456789012345678901234567890N");
    CHECK(coerced(S(":int"), "3.0") == "3");
    CHECK(coerced(S(":int"), "3.00M") == "3");
    CHECK(coerced(S(":int"), "3E+2M") == "300");
    CHECK(coerced(S(":double"), "\"1.5\"") == "1.5");
    CHECK(coerced(S(":double"), "\"-2e3\"") == "-2000.0");
    CHECK(coerced(S(":double"), "\".5\"") == "0.5");
    CHECK(coerced(S(":double"), "2") == "2.0");
    CHECK(coerced(S(":double"), "2.25M") == "2.25");
    CHECK(coerced(S(":number"), "\"2\"") == "2");
    CHECK(coerced(S(":number"), "\"2.5\"") == "2.5");
    CHECK(coerced(S(":boolean"), "\"true\"") == "true");
    CHECK(coerced(S(":boolean"), "\"false\"") == "false");
    CHECK(coerced(S(":keyword"), "\"a/b\"") == ":a/b");
    CHECK(coerced(S(":keyword"), "\":x\"") == ":x");
    CHECK(coerced(S(":symbol"), "\"my.ns/f\"") == "my.ns/f");
    CHECK(coerced(S(":uuid"), "\"F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6\"") ==
          "#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"");
    CHECK(coerced(S(":inst"), "\"2026-04-14T12:00:00+02:00\"") == "#inst \"2026-04-14T10:00:00.000Z\"");
    CHECK(coerced(S("[:enum :low :high]"), "\"low\"") == ":low");
    CHECK(coerced(S("[:enum 1 2]"), "\"2\"") == "2");
    CHECK(coerced(S("[:= :x]"), "\":x\"") == ":x");
    // values that already conform are returned as they are
    CHECK(coerced(S(":int"), "5") == "5");
    CHECK(coerced(S(":string"), "\"5\"") == "\"5\"");
}

TEST_CASE("spec coerce: ambiguous or malformed text is not converted", "[spec][coerce]") {
    for (const char* bad : {"\" 42\"", "\"42 \"", "\"4x2\"", "\"\"", "\"1.5\"", "\"0x10\"", "\"-\""}) {
        core::Error e = coerce_error(S(":int"), bad);
        CHECK(e.code == "22023");
        CHECK(e.detail.find("expected an integer, got " + std::string(bad)) != std::string::npos);
    }
    for (const char* bad : {"\"inf\"", "\"nan\"", "\"1e999\"", "\"1,5\"", "\"e3\"", "\"0x1p3\"", "\".\""})
        CHECK(coerce_error(S(":double"), bad).code == "22023");
    CHECK(coerced(S(":double"), "\"1.\"") == "1.0");
    CHECK(coerce_error(S(":boolean"), "\"True\"").code == "22023");
    CHECK(coerce_error(S(":keyword"), "\"1a\"").code == "22023");
    CHECK(coerce_error(S(":uuid"), "\"f81d4fae7dec11d0a765-00a0c91e6bf6\"").code == "22023");
    CHECK(coerce_error(S(":inst"), "\"2026-02-30T00:00:00Z\"").code == "22023");
    CHECK(coerce_error(S(":int"), "3.5").code == "22023");
    CHECK(coerce_error(S(":int"), "3.5M").code == "22023");
    // two literals named by one string: left alone
    CHECK(coerce_error(S("[:enum :a a]"), "\"a\"").code == "22023");
    // fills nothing in
    core::Error e = coerce_error(S("[:map [:a :int]]"), "{}");
    CHECK(e.detail ==
          "at .a: expected an integer, got nothing; add the required key :a (an integer)\n"
          "1 problem; fix it and resend the whole value.");
}

TEST_CASE("spec coerce: maps and collections", "[spec][coerce]") {
    auto m = S("[:map [:n :int] [:tags [:set :keyword]] [:at {:optional true} :inst]]");
    CHECK(coerced(m, "{\"n\" \"1\" \"tags\" [\"a\" \"b\"]}") == "{:n 1 :tags #{:a :b}}");
    // unnamed string keys stay strings (the map is open)
    CHECK(coerced(m, "{\"n\" 1 \"tags\" #{} \"other\" \"2\"}") == "{\"other\" \"2\" :n 1 :tags #{}}");
    // a keyword key present too: the string key is not renamed (and is then just an extra key)
    CHECK(coerced(m, "{\"n\" \"x\" :n 2 :tags #{}}") == "{\"n\" \"x\" :n 2 :tags #{}}");
    // an array with repeated members does not silently lose them
    CHECK(coerce_error(m, "{:n 1 :tags [\"a\" \"a\"]}").code == "22023");
    auto mo = S("[:map-of :int :keyword]");
    CHECK(coerced(mo, "{\"1\" \"a\" \"2\" \"b\"}") == "{1 :a 2 :b}");
    // keys that collide once converted keep their original form
    CHECK(coerce_error(mo, "{\"1\" \"a\" \"01\" \"b\"}").detail.find("(key)") != std::string::npos);
    CHECK(coerced(S("[:vector :int]"), "(\"1\" \"2\")") == "[1 2]");
    CHECK(coerced(S("[:sequential :int]"), "(\"1\" \"2\")") == "(1 2)");
    CHECK(coerced(S("[:tuple :int :keyword]"), "[\"1\" \"k\"]") == "[1 :k]");
    CHECK(coerce_error(S("[:tuple :int :keyword]"), "[\"1\"]").code == "22023");
    CHECK(coerced(S("[:maybe :int]"), "nil") == "nil");
    CHECK(coerced(S("[:maybe :int]"), "\"3\"") == "3");
}

TEST_CASE("spec coerce: or, and, multi, ref", "[spec][coerce]") {
    // a value that conforms is left alone; else the first branch whose conversion conforms
    CHECK(coerced(S("[:or :string :int]"), "\"1\"") == "\"1\"");
    CHECK(coerced(S("[:or :int :keyword]"), "\"1\"") == "1");
    CHECK(coerced(S("[:or :int :keyword]"), "\"k\"") == ":k");
    CHECK(coerced(S("[:and :int [:int {:min 0}]]"), "\"5\"") == "5");
    spec::Options o;
    o.predicate = [](std::string_view, edn::ValueRef v) -> core::Result<bool> {
        return v.tag() == edn::Tag::integer;
    };
    CHECK(coerced(S("[:and :int [:fn \"is-int\"]]"), "\"5\"", o) == "5");
    auto mu = S(R"([:multi {:dispatch :type}
                   [:circle [:map [:type [:= :circle]] [:r :double]]]
                   [:square [:map [:side :int]]]])");
    CHECK(coerced(mu, "{\"type\" \"circle\" \"r\" \"2\"}") == "{:r 2.0 :type :circle}");
    // the branch need not name the dispatch key: it is converted anyway
    CHECK(coerced(mu, "{\"type\" \"square\" \"side\" \"2\"}") == "{:side 2 :type :square}");
    CHECK(coerce_error(mu, "{\"type\" \"hexagon\"}").detail.find("expected one of :circle :square") !=
          std::string::npos);
    Registry reg;
    reg.define("tree", "[:map [:v :int] [:kids {:optional true} [:vector [:ref :tree]]]]");
    spec::Options r;
    r.resolver = reg.resolver();
    CHECK(coerced(S("[:ref :tree]"), "{\"v\" \"1\" \"kids\" [{\"v\" \"2\"}]}", r) == "{:kids [{:v 2}] :v 1}");
    std::string one = rd("1");
    CHECK(spec::coerce(*S("[:ref :nope]"), vref(one), r).error().code == "42704");
}

TEST_CASE("spec coerce: the error", "[spec][coerce]") {
    core::Error e =
        coerce_error(S("[:map [:age [:int {:min 0}]] [:name :string]]"), "{\"age\" \"-3\" \"name\" 7}");
    CHECK(e.code == "22023");
    CHECK(e.message == "value does not conform to the spec");
    CHECK(e.detail ==
          "at .age: expected an integer of at least 0, got -3; make it at least 0\n"
          "at .name: expected a string, got 7; replace it with a string\n"
          "2 problems; fix them and resend the whole value.");
    CHECK_FALSE(e.hint.empty());
}
