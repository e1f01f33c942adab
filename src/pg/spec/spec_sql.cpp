// SQL entry points of the spec module (docs/spec.md): valid, explain, explain_for_llm,
// coerce, spec_generate, spec_check, spec_get and the helpers of spec_define. Each check
// serves its four overloads: the spec is a name (text) or an inline schema (edn), the
// value edn or jsonb, told apart by the argument types the call was resolved with.
// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/edn/format.hpp"
#include "persistence/edn/value.hpp"
#include "persistence/spec/spec.hpp"

#include <string>
#include <vector>

#include "pg/boundary.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/audit/spi.hpp"
#include "pg/spec/registry.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/jsonb.h"
#include "utils/tuplestore.h"

Datum persistence_edn_from_jsonb(PG_FUNCTION_ARGS);
}

namespace persistence::pg {

namespace {

// The arguments of a check, fetched before any C++ work (plain PostgreSQL calls).
struct CheckArgs {
    bool named;             // spec given by name
    const char* name;       // when named (palloc'd, NUL-terminated)
    edn::ValueRef schema;   // when inline
    edn::ValueRef value;    // the value as EDN (jsonb converted)
    bool json;              // the value came from jsonb
};

CheckArgs fetch_args(FunctionCallInfo fcinfo) {
    CheckArgs a{};
    a.named = get_fn_expr_argtype(fcinfo->flinfo, 0) == TEXTOID;
    if (a.named)
        a.name = text_to_cstring(PG_GETARG_TEXT_PP(0));
    else
        a.schema = edn_arg(fcinfo, 0);
    a.json = get_fn_expr_argtype(fcinfo->flinfo, 1) == JSONBOID;
    if (a.json)
        a.value = edn_view(DirectFunctionCall1(persistence_edn_from_jsonb, PG_GETARG_DATUM(1)));
    else
        a.value = edn_arg(fcinfo, 1);
    return a;
}

template <typename T>
T take(core::Result<T> r) {
    if (!r.ok()) raise(r.error());
    return r.take();
}

spec::SpecPtr spec_of(const CheckArgs& a) { return a.named ? spec_by_name(a.name) : spec_inline(a.schema); }

// The value a check looks at. JSON cannot spell keywords, symbols, uuids or instants, so
// a jsonb value that does not conform as it is is checked again after coerce's
// conversions ("high" for [:enum :high]); valid as it is stays the fast path.
struct Checked {
    spec::Options options;
    edn::ValueRef value;
    std::string converted;  // owns value's bytes when converted
    bool valid = false;
};

Checked check(const spec::Spec& s, const CheckArgs& a) {
    Checked c;
    c.options = spec_options(a.json);
    c.value = a.value;
    c.valid = take(spec::valid(s, c.value, c.options));
    if (c.valid || !a.json) return c;
    c.converted = take(spec::convert(s, c.value, c.options));
    c.value = edn::ValueRef(reinterpret_cast<const uint8_t*>(c.converted.data()));
    c.valid = take(spec::valid(s, c.value, c.options));
    return c;
}



}  // namespace

}  // namespace persistence::pg

using namespace persistence;
using namespace persistence::pg;

// persistence.valid(spec, value) → boolean
PERSISTENCE_FUNCTION(persistence_spec_valid) {
    CheckArgs a = fetch_args(fcinfo);
    spec::SpecPtr s = spec_of(a);
    PG_RETURN_BOOL(check(*s, a).valid);
}

// persistence.explain(spec, value) → edn: [{:path :in :schema :value :problem} ...]
PERSISTENCE_FUNCTION(persistence_spec_explain) {
    CheckArgs a = fetch_args(fcinfo);
    spec::SpecPtr s = spec_of(a);
    Checked c = check(*s, a);
    return edn_result(spec::explain(*s, c.value, c.options));
}

// persistence.explain_for_llm(spec, value) → text ('' when the value conforms)
PERSISTENCE_FUNCTION(persistence_spec_explain_for_llm) {
    CheckArgs a = fetch_args(fcinfo);
    spec::SpecPtr s = spec_of(a);
    Checked c = check(*s, a);
    std::string text = c.valid ? std::string() : take(spec::explain_for_llm(*s, c.value, c.options));
    return spi::text_datum(utf8_to_server(text));
}

// persistence.coerce(spec, value) → edn (22023 with the explain_for_llm text in DETAIL)
PERSISTENCE_FUNCTION(persistence_spec_coerce) {
    CheckArgs a = fetch_args(fcinfo);
    spec::SpecPtr s = spec_of(a);
    return edn_result(spec::coerce(*s, a.value, spec_options(a.json)));
}

// persistence.spec_check(name text, value) → true, or 23514 with the explain_for_llm text
PERSISTENCE_FUNCTION(persistence_spec_check) {
    CheckArgs a = fetch_args(fcinfo);
    spec::SpecPtr s = spec_of(a);
    Checked c = check(*s, a);
    if (c.valid) PG_RETURN_BOOL(true);
    std::string text = take(spec::explain_for_llm(*s, c.value, c.options));
    raise(core::Error("23514", std::string("value does not conform to spec \"") + a.name + "\"",
                      "Fix the value as DETAIL says (persistence.explain(spec, value) has the same as EDN).",
                      text));
}

// persistence.spec_generate(spec, n integer, seed integer) → setof edn
PERSISTENCE_FUNCTION(persistence_spec_generate) {
    bool named = get_fn_expr_argtype(fcinfo->flinfo, 0) == TEXTOID;
    const char* name = named ? text_to_cstring(PG_GETARG_TEXT_PP(0)) : nullptr;
    edn::ValueRef schema = named ? edn::ValueRef() : edn_arg(fcinfo, 0);
    int32 n = PG_GETARG_INT32(1);
    int32 seed = PG_GETARG_INT32(2);
    if (n < 0 || n > 1000000)
        raise(core::Error("22023", "spec_generate: n must be between 0 and 1000000, got " + std::to_string(n),
                          "Ask for fewer values per call; the same seed gives the same values."));
    // A set of a scalar type: the tuple descriptor is the one the caller expects.
    call_pg([&] { InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC); });
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    spec::SpecPtr s = named ? spec_by_name(name) : spec_inline(schema);
    spec::Options options = spec_options(false);
    std::vector<std::string> values =
        take(spec::generate(*s, size_t(n), uint64_t(uint32_t(seed)), options.resolver, options.predicate));
    for (const std::string& v : values) {
        Datum d = edn_datum(v);
        bool isnull = false;
        call_pg([&] { tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &d, &isnull); });
    }
    return Datum(0);
}

// persistence.spec_get(name text) → edn: the schema of name or name@version.
PERSISTENCE_FUNCTION(persistence_spec_get) {
    const char* name = text_to_cstring(PG_GETARG_TEXT_PP(0));
    spec::SpecPtr s = spec_by_name(name);
    return edn_datum(s->schema());
}

// persistence._spec_compile(schema edn) → true, or the compile error (22P02 with path).
PERSISTENCE_FUNCTION(persistence_spec_compile) {
    edn::ValueRef schema = edn_arg(fcinfo, 0);
    take(spec::compile(schema));
    PG_RETURN_BOOL(true);
}

// persistence._spec_registry_changed(): other backends forget their name → spec cache.
PERSISTENCE_FUNCTION(persistence_spec_registry_changed) {
    spec_registry_changed();
    PG_RETURN_VOID();
}
