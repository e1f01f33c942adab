// SPI for the audit module, from C++: every call goes through call_pg, so a PostgreSQL
// error becomes a PgError that unwinds the C++ frames before guard() re-raises it.
// Results stay in SPI_tuptable until the next call. Callers are inside SPI_connect.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "persistence/hash/sha256.hpp"

#include "pg/pg_headers.hpp"

extern "C" {
#include "executor/spi.h"
}

namespace persistence::pg::spi {

// One statement, planned once per backend and kept (plancache replans after DDL).
// `sql` must be a string literal: the cache is keyed by its address.
struct Statement {
    const char* sql;
    int nargs;
    const Oid* types;
};

// Runs a statement; returns the number of rows processed. limit 0: all rows.
// read_only = false (the default) also gives each statement a fresh snapshot under READ
// COMMITTED, so that the sealer sees what committed while it waited for its lock;
// read_only = true reads with the caller's snapshot (verify: one consistent view).
uint64 run(const Statement& st, const Datum* values = nullptr, const char* nulls = nullptr, long limit = 0,
           bool read_only = false);
// Runs ad-hoc SQL without arguments (not cached).
uint64 run_sql(const char* sql, bool read_only = false);

// Row r, column c (1-based) of the last result.
Datum get(uint64 r, int c, bool* isnull);
int64 get_int8(uint64 r, int c, int64 if_null = 0);
int32 get_int4(uint64 r, int c, int32 if_null = 0);
bool get_bool(uint64 r, int c, bool if_null = false);
// A bytea column as a view into the result (valid until the next call); nullopt if NULL.
std::optional<std::string_view> get_bytes(uint64 r, int c);
// A bytea column that must hold exactly 32 bytes; nullopt when NULL or of another length
// (only tampering makes that happen, so callers report it rather than raise).
std::optional<hash::Digest> get_digest(uint64 r, int c);

// SPI_connect for the lifetime of the object. Results allocated inside are freed by
// SPI_finish: a function's return value must be built after the Session ends.
struct Session {
    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
};

// The log id (persistence.audit_log, one row): XX001 when the row is missing or malformed.
std::array<uint8_t, 16> log_id(bool read_only = false);

// palloc'd Datums for arguments.
Datum bytea_datum(const void* data, size_t n);
inline Datum bytea_datum(const hash::Digest& d) { return bytea_datum(d.data(), d.size()); }
Datum text_datum(std::string_view s);

}  // namespace persistence::pg::spi
