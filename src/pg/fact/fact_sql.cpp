// SQL entry points of the write side: transact (edn and jsonb), the internal schema
// transact behind define_attribute, branch lookup, and the immutability trigger.
#include "persistence/fact/planner.hpp"
#include <optional>

#include "pg/boundary.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/fact/branches.hpp"
#include "pg/fact/transact.hpp"

extern "C" {
#include "commands/trigger.h"
#include "utils/timestamp.h"
#include "utils/jsonb.h"

Datum persistence_edn_from_jsonb(PG_FUNCTION_ARGS);
}

using namespace persistence;

namespace {

void require_arg(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s must not be NULL", name),
                        errhint("Pass a value; the other arguments have defaults.")));
}

std::optional<TimestampTz> valid_from_arg(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    TimestampTz t = PG_GETARG_TIMESTAMPTZ(n);
    if (TIMESTAMP_NOT_FINITE(t))
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("valid_from must be finite"),
                        errhint("Leave valid_to open instead of using infinity.")));
    return t;
}

// Arguments fetched (plain PG calls, nothing to unwind yet), then the C++ write path.
int64 transact_common(FunctionCallInfo fcinfo, Datum tx_data, Datum provenance, bool json) {
    require_arg(fcinfo, 1, "branch");
    pg::TransactArgs args;
    args.tx_data = pg::edn_view(tx_data);
    args.branch = pg::branch_view(PG_GETARG_TEXT_PP(1));
    args.provenance = provenance;
    args.valid_from = valid_from_arg(fcinfo, 3);
    args.parse.json = json;
    return pg::run_transact(args);
}

}  // namespace

// persistence.transact(tx_data edn, branch text, provenance edn, valid_from timestamptz) → bigint
PERSISTENCE_FUNCTION(persistence_transact) {
    require_arg(fcinfo, 0, "tx_data");
    Datum provenance = PG_ARGISNULL(2) ? 0 : PointerGetDatum(PG_DETOAST_DATUM(PG_GETARG_DATUM(2)));
    PG_RETURN_INT64(transact_common(fcinfo, PG_GETARG_DATUM(0), provenance, false));
}

// persistence.transact(tx_data jsonb, branch text, provenance jsonb, valid_from timestamptz) → bigint
PERSISTENCE_FUNCTION(persistence_transact_jsonb) {
    require_arg(fcinfo, 0, "tx_data");
    Datum data = DirectFunctionCall1(persistence_edn_from_jsonb, PG_GETARG_DATUM(0));
    Datum provenance = PG_ARGISNULL(2) ? 0 : DirectFunctionCall1(persistence_edn_from_jsonb, PG_GETARG_DATUM(2));
    PG_RETURN_INT64(transact_common(fcinfo, data, provenance, true));
}

// persistence._transact_schema(tx_data edn) → bigint: define_attribute's writer, on main.
PERSISTENCE_FUNCTION(persistence_transact_schema) {
    pg::TransactArgs args;
    args.tx_data = pg::edn_arg(fcinfo, 0);
    args.branch = pg::main_view();
    args.parse.allow_system = true;
    PG_RETURN_INT64(pg::run_transact(args));
}

// persistence._branch_id(branch text) → integer
PERSISTENCE_FUNCTION(persistence_branch_id) { PG_RETURN_INT32(pg::branch_id(PG_GETARG_TEXT_PP(0))); }

// Trigger on every log table: BEFORE UPDATE OR DELETE / BEFORE TRUNCATE, FOR EACH STATEMENT.
PERSISTENCE_FUNCTION(persistence_refuse_change) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("persistence._refuse_change() must be called as a trigger")));
    auto* data = reinterpret_cast<TriggerData*>(fcinfo->context);
    const char* what = TRIGGER_FIRED_BY_UPDATE(data->tg_event)   ? "UPDATE"
                       : TRIGGER_FIRED_BY_DELETE(data->tg_event) ? "DELETE"
                                                                 : "TRUNCATE";
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("%s on persistence.%s is not allowed: the log is append-only", what,
                           RelationGetRelationName(data->tg_relation)),
                    errhint("History is changed by new transactions: persistence.transact() with "
                            ":db/retract or a correction with its own valid time.")));
    PG_RETURN_NULL();
}
