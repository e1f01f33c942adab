// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/fact/model.hpp"
#include "persistence/hash/sha256.hpp"
#include "persistence/spec/spec.hpp"

#include <cstdlib>
#include <map>
#include <string>
#include <unordered_map>

#include "pg/audit/spi.hpp"
#include "pg/boundary.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/fact/attributes.hpp"
#include "pg/spec/registry.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/inval.h"
}

namespace persistence::pg {

namespace {

const Oid text_arg[] = {TEXTOID};
const Oid text_int_args[] = {TEXTOID, INT4OID};
const spi::Statement select_newest = {
    "SELECT version, schema FROM persistence.specs WHERE name = $1 ORDER BY version DESC LIMIT 1", 1, text_arg};
const spi::Statement select_version = {
    "SELECT version, schema FROM persistence.specs WHERE name = $1 AND version = $2", 2, text_int_args};

// Per backend, heap-allocated once (no static C++ object, STYLE.md §1). Compiled specs
// are immutable, so entries by fingerprint never go stale; names can move to a new
// version, so that map is cleared by any relcache invalidation.
constexpr size_t max_cached = 1024;
std::map<hash::Digest, spec::SpecPtr>* compiled = nullptr;
std::unordered_map<std::string, spec::SpecPtr>* by_name = nullptr;
std::unordered_map<std::string, Oid>* functions = nullptr;
bool callback_registered = false;

void forget_names(Datum, Oid) {
    if (by_name != nullptr) by_name->clear();
    if (functions != nullptr) functions->clear();
}

void ensure_caches() {
    if (!callback_registered) {
        call_pg([] { CacheRegisterRelcacheCallback(forget_names, (Datum)0); });
        callback_registered = true;
    }
    if (compiled == nullptr) compiled = new std::map<hash::Digest, spec::SpecPtr>();
    if (by_name == nullptr) by_name = new std::unordered_map<std::string, spec::SpecPtr>();
    if (functions == nullptr) functions = new std::unordered_map<std::string, Oid>();
}

spec::SpecPtr compile_cached(edn::ValueRef schema) {
    ensure_caches();
    hash::Digest fp = spec::fingerprint(schema);
    auto it = compiled->find(fp);
    if (it != compiled->end()) return it->second;
    auto result = spec::compile(schema);
    if (!result.ok()) raise(result.error());
    if (compiled->size() >= max_cached) compiled->clear();
    (*compiled)[fp] = result.value();
    return result.value();
}

[[noreturn]] void unknown_spec(std::string_view name) {
    // A schema written as an untyped literal resolves to the text (name) overloads.
    bool looks_inline = !name.empty() && (name[0] == '[' || name[0] == ':' || name[0] == '{');
    raise(core::Error("42704", "spec \"" + std::string(name) + "\" does not exist",
                      looks_inline ? "This looks like an inline schema: cast it to persistence.edn "
                                     "('[:map ...]'::persistence.edn); a text argument names a registered spec."
                                   : "Define it with persistence.spec_define(name, schema); SELECT name, version "
                                     "FROM persistence.specs lists the specs."));
}

// The registry row of name[@version] through SPI (the caller has a connection).
spec::SpecPtr read_registry(std::string_view full) {
    std::string name(full);
    int version = 0;
    size_t at = full.find('@');
    if (at != std::string_view::npos) {
        name = std::string(full.substr(0, at));
        std::string digits(full.substr(at + 1));
        char* end = nullptr;
        long v = digits.empty() ? 0 : std::strtol(digits.c_str(), &end, 10);
        if (digits.empty() || *end != '\0' || v < 1 || v > INT32_MAX)
            raise(core::Error("22023", "malformed spec name \"" + std::string(full) + "\"",
                              "Use name for the newest version or name@N (N ≥ 1) for a fixed one."));
        version = int(v);
    }
    Datum args[2] = {spi::text_datum(name), Int32GetDatum(version)};
    uint64 n = version == 0 ? spi::run(select_newest, args, nullptr, 1, true)
                            : spi::run(select_version, args, nullptr, 1, true);
    if (n != 1) unknown_spec(full);
    bool isnull;
    Datum schema = spi::get(0, 2, &isnull);
    const uint8_t* bytes = call_pg([&] { return edn_view(schema).data(); });
    return compile_cached(edn::ValueRef(bytes));
}

}  // namespace

spec::SpecPtr spec_by_name(std::string_view name) {
    ensure_caches();
    auto it = by_name->find(std::string(name));
    if (it != by_name->end()) return it->second;
    spec::SpecPtr s;
    {
        spi::Session session;
        s = read_registry(name);
    }
    (*by_name)[std::string(name)] = s;
    return s;
}

spec::SpecPtr spec_inline(edn::ValueRef schema) { return compile_cached(schema); }

spec::Options spec_options(bool json) {
    spec::Options options;
    options.json_keys = json;
    options.resolver = [](std::string_view name) -> core::Result<spec::SpecPtr> { return spec_by_name(name); };
    options.predicate = [](std::string_view function, edn::ValueRef value) -> core::Result<bool> {
        ensure_caches();
        std::string key(function);
        auto it = functions->find(key);
        Oid fn;
        if (it != functions->end()) {
            fn = it->second;
        } else {
            // schema.function(persistence.edn) → boolean, resolved like any SQL call
            // (regprocedurein's own 42883 when there is none).
            std::string signature = key + "(persistence.edn)";
            fn = call_pg([&] {
                return DatumGetObjectId(DirectFunctionCall1(regprocedurein, CStringGetDatum(signature.c_str())));
            });
            (*functions)[key] = fn;
        }
        Datum arg = edn_datum(value);
        return call_pg([&] {
            Datum r = OidFunctionCall1(fn, arg);
            return DatumGetBool(r);
        });
    };
    return options;
}

void spec_registry_changed() { note_schema_change(); }

}  // namespace persistence::pg
