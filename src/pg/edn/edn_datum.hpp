// The on-disk form of persistence.edn and the conversions between Datums and core views.
#pragma once

#include <cstddef>
#include <string_view>

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

}  // namespace persistence::pg
