// Shared helpers for the spec unit tests.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "persistence/spec/spec.hpp"

namespace spec_test {

using namespace edn_test;
namespace spec = persistence::spec;
namespace core = persistence::core;

// Compiles schema text that must be valid.
inline spec::SpecPtr S(const std::string& schema) {
    auto r = spec::compile_text(schema);
    INFO("schema: " << schema);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    return r.take();
}

inline core::Error compile_error(const std::string& schema, const spec::CompileOptions& o = {}) {
    auto r = spec::compile_text(schema, o);
    INFO("schema: " << schema);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

// Named specs for [:ref], counting resolver calls.
struct Registry {
    std::map<std::string, spec::SpecPtr> specs;
    int calls = 0;
    void define(const std::string& name, const std::string& schema) { specs[name] = S(schema); }
    spec::Resolver resolver() {
        return [this](std::string_view name) -> core::Result<spec::SpecPtr> {
            ++calls;
            auto it = specs.find(std::string(name));
            if (it == specs.end()) return spec::SpecPtr();
            return it->second;
        };
    }
};

inline bool ok(const spec::SpecPtr& s, const std::string& value, const spec::Options& o = {}) {
    std::string v = rd(value);
    auto r = spec::valid(*s, vref(v), o);
    INFO("value: " << value);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    // valid() and validate() must agree.
    auto full = spec::validate(*s, vref(v), o);
    REQUIRE(full.ok());
    CHECK(full.value().ok() == r.value());
    return r.value();
}

// explain() printed as EDN text.
inline std::string explained(const spec::SpecPtr& s, const std::string& value, const spec::Options& o = {}) {
    std::string v = rd(value);
    auto r = spec::explain(*s, vref(v), o);
    INFO("value: " << value);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    return edn::to_string(vref(r.value()));
}

inline std::string llm(const spec::SpecPtr& s, const std::string& value, const spec::Options& o = {}) {
    std::string v = rd(value);
    auto r = spec::explain_for_llm(*s, vref(v), o);
    INFO("value: " << value);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    return r.value();
}

// The problem keywords validate() reports, in order.
inline std::vector<std::string> problems(const spec::SpecPtr& s, const std::string& value,
                                         const spec::Options& o = {}) {
    std::string v = rd(value);
    auto r = spec::validate(*s, vref(v), o);
    INFO("value: " << value);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    std::vector<std::string> out;
    for (const auto& p : r.value().problems) out.push_back(spec::problem_name(p.kind));
    return out;
}

// The one problem of an invalid value: "problem path in", e.g. "wrong-type [:map :a :int] [:a]".
inline std::string problem(const spec::SpecPtr& s, const std::string& value, const spec::Options& o = {}) {
    std::string v = rd(value);
    auto r = spec::validate(*s, vref(v), o);
    INFO("value: " << value);
    REQUIRE(r.ok());
    REQUIRE(r.value().problems.size() == 1);
    const auto& p = r.value().problems[0];
    return std::string(spec::problem_name(p.kind)) + " " + edn::to_string(vref(p.path)) + " " +
           edn::to_string(vref(p.in));
}

inline std::string coerced(const spec::SpecPtr& s, const std::string& value, const spec::Options& o = {}) {
    std::string v = rd(value);
    auto r = spec::coerce(*s, vref(v), o);
    INFO("value: " << value);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message << "\n" << r.error().detail);
    REQUIRE(r.ok());
    return edn::to_string(vref(r.value()));
}

inline core::Error coerce_error(const spec::SpecPtr& s, const std::string& value,
                                const spec::Options& o = {}) {
    std::string v = rd(value);
    auto r = spec::coerce(*s, vref(v), o);
    INFO("value: " << value);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

inline spec::Options json() {
    spec::Options o;
    o.json_keys = true;
    return o;
}

}  // namespace spec_test
