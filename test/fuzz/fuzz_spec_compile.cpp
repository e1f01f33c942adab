// libFuzzer target for specs: the first line is EDN text compiled as a schema, the rest
// EDN text of a value checked against it (docs/spec.md). Whatever the input:
//   - compile() succeeds or fails with 22P02/54000 and "invalid schema at [...]: ";
//   - valid(), validate(), explain(), explain_for_llm() and coerce() agree with each other
//     (in EDN and json mode), return canonical EDN, and fail only with documented codes;
//   - generate() returns values that are valid.
// Every [:ref] resolves to the schema itself, so recursion and the depth guard are reached,
// and [:fn] predicates answer from the value's bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "persistence/edn/reader.hpp"
#include "persistence/edn/validate.hpp"
#include "persistence/spec/spec.hpp"

namespace edn = persistence::edn;
namespace spec = persistence::spec;
namespace core = persistence::core;

namespace {

bool one_of(const std::string& code, std::initializer_list<const char*> codes) {
    for (const char* c : codes)
        if (code == c) return true;
    return false;
}

bool canonical(const std::string& bytes) {
    edn::Limits l;
    l.max_depth = edn::max_depth_ceiling;
    return edn::validate(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), l).ok();
}

edn::ValueRef view(const std::string& s) { return edn::ValueRef(reinterpret_cast<const uint8_t*>(s.data())); }

// Errors a check may end in: the depth guard, or the callbacks' own.
void expect_runtime_error(const core::Error& e) {
    if (!one_of(e.code, {"54000", "P0001"})) abort();
}

void check_value(const spec::Spec& s, edn::ValueRef value, spec::Options o) {
    auto ok = spec::valid(s, value, o);
    auto report = spec::validate(s, value, o);
    auto ex = spec::explain(s, value, o);
    auto text = spec::explain_for_llm(s, value, o);
    if (ok.ok() != report.ok() || ok.ok() != ex.ok() || ok.ok() != text.ok()) abort();
    if (!ok) {
        expect_runtime_error(ok.error());
        return;
    }
    if (ok.value() != report.value().ok()) abort();
    if (ok.value() != text.value().empty()) abort();
    if (!canonical(ex.value())) abort();
    for (const auto& p : report.value().problems)
        if (!canonical(p.path) || !canonical(p.in) || !canonical(p.schema) ||
            (!p.value.empty() && !canonical(p.value)))
            abort();
    if (!ok.value() && text.value().rfind("at ", 0) != 0) abort();
    auto c = spec::coerce(s, value, o);
    if (c.ok()) {
        if (!canonical(c.value())) abort();
        auto again = spec::valid(s, view(c.value()), o);
        if (!again.ok() || !again.value()) abort();
    } else if (c.error().code == "22023") {
        if (c.error().detail.empty() || c.error().hint.empty()) abort();
    } else {
        expect_runtime_error(c.error());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    size_t nl = input.find('\n');
    std::string_view schema_text = input.substr(0, nl);
    std::string_view value_text =
        nl == std::string_view::npos ? std::string_view("nil") : input.substr(nl + 1);
    edn::Limits limits;
    limits.max_depth = 64;
    limits.max_size = 1 << 20;
    auto schema = edn::read(schema_text, limits);
    if (!schema.ok()) return 0;
    auto compiled = spec::compile(view(schema.value()));
    if (!compiled) {
        const core::Error& e = compiled.error();
        if (!one_of(e.code, {"22P02", "54000"}) || e.message.rfind("invalid schema at [", 0) != 0 ||
            e.hint.empty())
            abort();
        return 0;
    }
    const spec::SpecPtr s = compiled.take();
    if (s->fingerprint() != spec::fingerprint(view(schema.value()))) abort();

    spec::Options o;
    o.max_depth = 200;
    o.max_problems = 1 + size % 7;
    o.resolver = [&s](std::string_view) -> core::Result<spec::SpecPtr> { return s; };
    o.predicate = [](std::string_view f, edn::ValueRef v) -> core::Result<bool> {
        if (f == "error") return core::Error("P0001", "predicate failed");
        return (v.size() + f.size()) % 3 != 0;
    };

    auto value = edn::read(value_text, limits);
    if (value.ok()) {
        check_value(*s, view(value.value()), o);
        o.json_keys = true;
        check_value(*s, view(value.value()), o);
        o.json_keys = false;
    }

    auto generated = spec::generate(*s, 2, size, o.resolver, o.predicate);
    if (!generated) {
        if (!one_of(generated.error().code, {"0A000", "22023", "54000", "P0001"})) abort();
        return 0;
    }
    for (const std::string& g : generated.value()) {
        if (!canonical(g)) abort();
        auto ok = spec::valid(*s, view(g), o);
        if (ok.ok() && !ok.value()) abort();
        if (!ok.ok()) expect_runtime_error(ok.error());
    }
    return 0;
}
