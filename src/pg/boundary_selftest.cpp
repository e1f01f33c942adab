// SQL functions that exercise the boundary itself (tests: sql/boundary.sql,
// test/pgtap/boundary.sql). They live in the extension so the tests run against the
// real build; they are internal (leading underscore) and revoked from PUBLIC.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "pg/boundary.hpp"

namespace {

// How many Witness destructors have run in this backend: a plain integer, so no static
// object with a constructor (STYLE.md §1).
int64_t witness_destructions = 0;

// A C++ object that must be destroyed when an error unwinds through it.
struct Witness {
    std::vector<std::string> payload{"alive", "while", "postgres", "raises"};
    ~Witness() { ++witness_destructions; }
};

}  // namespace

// persistence._boundary_throw(kind text) → void: throws the named C++ exception.
PERSISTENCE_FUNCTION(persistence_boundary_throw) {
    const char* kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
    Witness w;
    std::string k(kind);
    if (k == "runtime_error") throw std::runtime_error("boundary test: runtime_error thrown in C++");
    if (k == "bad_alloc") throw std::bad_alloc();
    if (k == "core_error")
        persistence::pg::raise({"22023", "boundary test: core error", "the hint survives",
                                "the detail survives"});
    if (k == "int") throw 42;
    PG_RETURN_VOID();
}

// persistence._boundary_pg_error(sqlstate text, message text, detail text, hint text)
// → void: raises a PostgreSQL ERROR through call_pg while a C++ Witness is alive.
PERSISTENCE_FUNCTION(persistence_boundary_pg_error) {
    const char* code = text_to_cstring(PG_GETARG_TEXT_PP(0));
    const char* message = text_to_cstring(PG_GETARG_TEXT_PP(1));
    const char* detail = text_to_cstring(PG_GETARG_TEXT_PP(2));
    const char* hint = text_to_cstring(PG_GETARG_TEXT_PP(3));
    if (strlen(code) != 5)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("sqlstate must have exactly five characters"),
                        errhint("Pass a code such as '22023'.")));
    Witness w;
    persistence::pg::call_pg([&] {
        ereport(ERROR, (errcode(MAKE_SQLSTATE(code[0], code[1], code[2], code[3], code[4])),
                        errmsg("%s", message), errdetail("%s", detail), errhint("%s", hint)));
    });
    PG_RETURN_VOID();
}

// persistence._boundary_destructions() → bigint: Witness destructors run so far.
PERSISTENCE_FUNCTION(persistence_boundary_destructions) { PG_RETURN_INT64(witness_destructions); }
