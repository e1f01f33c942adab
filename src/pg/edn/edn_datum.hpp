// The on-disk form of persistence.edn and everything that crosses between it and the
// core: Datums ↔ views, encoded results ↔ Datums, database text ↔ UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "persistence/core/error.hpp"
#include "persistence/edn/value.hpp"
#include "pg/boundary.hpp"

namespace persistence::pg {

// int32 vl_len_ | u8 version | u8 reserved[3] (zero) | encoded value (format.hpp).
struct EdnOnDisk {
    int32 vl_len_;
    uint8 version;
    uint8 reserved[3];
    uint8 value[FLEXIBLE_ARRAY_MEMBER];
};
static_assert(offsetof(EdnOnDisk, version) == 4, "on-disk layout is frozen");
static_assert(offsetof(EdnOnDisk, value) == 8, "on-disk layout is frozen");
inline constexpr size_t edn_header_size = offsetof(EdnOnDisk, value);

// Detoasts argument n (a plain PostgreSQL call: use it before any C++ object is alive)
// and returns a view of its value. A wrong version byte is data corruption (XX001).
edn::ValueRef edn_arg(FunctionCallInfo fcinfo, int n);
edn::ValueRef edn_view(Datum d);

// A new palloc'd edn Datum holding a copy of the encoded value bytes.
Datum edn_datum(std::string_view encoded);
Datum edn_datum(edn::ValueRef v);
// The Datum of a builder's result, or its error raised.
Datum edn_result(const core::Result<std::string>& encoded);

// EDN text is UTF-8. Databases in another encoding convert at this boundary; SQL_ASCII
// passes bytes through, and the core then validates them as UTF-8 (22021). Both return
// their input unchanged when no conversion is needed (so a NUL-terminated input gives a
// NUL-terminated result), else a palloc'd NUL-terminated conversion. Conversion errors
// are PostgreSQL's own (22P05) and reach C++ through call_pg.
std::string_view server_to_utf8(std::string_view text);
std::string_view utf8_to_server(std::string_view utf8);

}  // namespace persistence::pg
