// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"
#include <cstring>



#include "pg/boundary.hpp"
#include "pg/audit/spi.hpp"

extern "C" {
#include "utils/lsyscache.h"
}

namespace persistence::pg::spi {

namespace {

// Prepared statements of this backend, keyed by the address of their SQL literal. A
// fixed table: the module has a few dozen statements, each prepared once.
struct CachedPlan {
    const char* sql;
    SPIPlanPtr plan;
};
constexpr int max_plans = 64;
CachedPlan plans[max_plans];
int n_plans = 0;

SPIPlanPtr plan_for(const Statement& st) {
    for (int i = 0; i < n_plans; ++i)
        if (plans[i].sql == st.sql) return plans[i].plan;
    SPIPlanPtr plan = call_pg([&] {
        SPIPlanPtr p = SPI_prepare(st.sql, st.nargs, const_cast<Oid*>(st.types));
        if (p == nullptr)
            elog(ERROR, "persistence: SPI_prepare failed (%s): %s", SPI_result_code_string(SPI_result), st.sql);
        if (n_plans < max_plans) SPI_keepplan(p);
        return p;
    });
    if (n_plans < max_plans) plans[n_plans++] = {st.sql, plan};
    return plan;
}

}  // namespace

uint64 run(const Statement& st, const Datum* values, const char* nulls, long limit, bool read_only) {
    SPIPlanPtr plan = plan_for(st);
    return call_pg([&] {
        int rc = SPI_execute_plan(plan, const_cast<Datum*>(values), nulls, read_only, limit);
        if (rc < 0) elog(ERROR, "persistence: SPI_execute_plan failed (%s): %s", SPI_result_code_string(rc), st.sql);
        return SPI_processed;
    });
}

uint64 run_sql(const char* sql, bool read_only) {
    return call_pg([&] {
        int rc = SPI_execute(sql, read_only, 0);
        if (rc < 0) elog(ERROR, "persistence: SPI_execute failed (%s): %s", SPI_result_code_string(rc), sql);
        return SPI_processed;
    });
}

Datum get(uint64 r, int c, bool* isnull) {
    return call_pg([&] { return SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c, isnull); });
}

int64 get_int8(uint64 r, int c, int64 if_null) {
    bool isnull;
    Datum d = get(r, c, &isnull);
    return isnull ? if_null : DatumGetInt64(d);
}

int32 get_int4(uint64 r, int c, int32 if_null) {
    bool isnull;
    Datum d = get(r, c, &isnull);
    return isnull ? if_null : DatumGetInt32(d);
}

bool get_bool(uint64 r, int c, bool if_null) {
    bool isnull;
    Datum d = get(r, c, &isnull);
    return isnull ? if_null : DatumGetBool(d);
}

std::optional<std::string_view> get_bytes(uint64 r, int c) {
    bool isnull;
    Datum d = get(r, c, &isnull);
    if (isnull) return std::nullopt;
    auto* b = call_pg([&] { return reinterpret_cast<bytea*>(PG_DETOAST_DATUM_PACKED(d)); });
    return std::string_view(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

std::optional<hash::Digest> get_digest(uint64 r, int c) {
    auto bytes = get_bytes(r, c);
    if (!bytes || bytes->size() != 32) return std::nullopt;
    hash::Digest d;
    std::memcpy(d.data(), bytes->data(), 32);
    return d;
}

Session::Session() {
    call_pg([] {
        if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "persistence: SPI_connect failed");
    });
}

Session::~Session() { SPI_finish(); }

std::array<uint8_t, 16> log_id(bool read_only) {
    static const Statement select_log_id = {"SELECT log_id FROM persistence.audit_log", 0, nullptr};
    std::array<uint8_t, 16> id{};
    std::optional<std::string_view> bytes;
    if (run(select_log_id, nullptr, nullptr, 0, read_only) == 1) bytes = get_bytes(0, 1);
    if (!bytes || bytes->size() != 16)
        raise(core::Error("XX001", "persistence.audit_log must hold one row with a 16-byte log id",
                          "The extension's tables were changed by hand; reinstall it or restore them."));
    std::memcpy(id.data(), bytes->data(), 16);
    return id;
}

Datum bytea_datum(const void* data, size_t n) {
    auto* b = static_cast<bytea*>(palloc_or_throw(VARHDRSZ + n));
    SET_VARSIZE(b, VARHDRSZ + n);
    if (n) std::memcpy(VARDATA(b), data, n);
    return PointerGetDatum(b);
}

Datum text_datum(std::string_view s) { return bytea_datum(s.data(), s.size()); }

}  // namespace persistence::pg::spi
