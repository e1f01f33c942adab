// GUC definitions. Plain ints only: GUC variables must not be C++ objects with
// constructors (they are static storage, STYLE.md §1).
#include "pg/guc.hpp"

#include "pg/pg_headers.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace persistence::pg {

namespace {
int edn_max_depth = 512;
int edn_max_size_kb = 256 * 1024;
bool strict_schema_on = false;
}  // namespace

void define_gucs() {
    // Depth is bounded well below what the C++ recursion in the core can take on the
    // default 8 MB stack; size below MaxAllocSize, the largest palloc.
    DefineCustomIntVariable("persistence.edn_max_depth",
                            "Maximum nesting depth of an EDN value (collections and tags).",
                            "Deeper values are rejected with SQLSTATE 54000.", &edn_max_depth, 512, 1,
                            4096, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("persistence.edn_max_size", "Maximum size of an encoded EDN value.",
                            "Larger values are rejected with SQLSTATE 54000.", &edn_max_size_kb,
                            256 * 1024, 1, 1024 * 1024 - 1, PGC_USERSET, GUC_UNIT_KB, nullptr, nullptr,
                            nullptr);
    // Superuser-only: a database's schema discipline is not for each session to relax.
    DefineCustomBoolVariable("persistence.strict_schema",
                             "Refuse attributes that persistence.define_attribute has not defined.",
                             "When off, an undefined attribute is any-type and cardinality one.",
                             &strict_schema_on, false, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("persistence");
}

bool strict_schema() { return strict_schema_on; }

edn::Limits edn_limits() {
    edn::Limits limits;
    limits.max_depth = uint32_t(edn_max_depth);
    limits.max_size = size_t(edn_max_size_kb) * 1024;
    return limits;
}

}  // namespace persistence::pg
