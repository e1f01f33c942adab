#include "pg/datom/datom_datum.hpp"

#include <cstring>

#include "pg/edn/edn_datum.hpp"

extern "C" {
#include "datatype/timestamp.h"
}

namespace persistence::pg {

namespace {
constexpr int64 pg_epoch_offset_micros =
    int64(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * USECS_PER_SEC;
static_assert(pg_epoch_offset_micros == 946684800LL * 1000000, "2000-01-01 is 946684800 s after 1970");
}  // namespace

datom::DatomView datom_view(Datum d) {
    struct varlena* v = PG_DETOAST_DATUM_PACKED(d);
    const uint8* bytes = reinterpret_cast<const uint8*>(VARDATA_ANY(v));
    size_t len = VARSIZE_ANY_EXHDR(v);
    constexpr size_t prefix = datom_header_size - VARHDRSZ;
    if (len < prefix + datom::min_payload_size || bytes[0] != datom::format_version)
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("persistence.datom value has unknown format version %d", len ? bytes[0] : -1),
                        errhint("The value was written by a newer or damaged installation.")));
    return datom::view(bytes + prefix, len - prefix);
}

datom::DatomView datom_arg(FunctionCallInfo fcinfo, int n) { return datom_view(PG_GETARG_DATUM(n)); }

Datum datom_datum(const datom::DatomView& d) {
    size_t total = datom_header_size + datom::encoded_size(d);
    auto* out = static_cast<DatomOnDisk*>(palloc_or_throw(total));
    SET_VARSIZE(out, total);
    out->version = datom::format_version;
    std::memset(out->reserved, 0, sizeof out->reserved);
    datom::encode_into(d, out->payload);
    return PointerGetDatum(out);
}

TimestampTz unix_micros_to_timestamptz(datom::Micros t) { return t - pg_epoch_offset_micros; }

std::optional<datom::Micros> timestamptz_to_unix_micros(TimestampTz t) {
    if (TIMESTAMP_NOT_FINITE(t)) return std::nullopt;
    datom::Micros unix_micros;
    if (__builtin_add_overflow(t, pg_epoch_offset_micros, &unix_micros)) return std::nullopt;
    if (!datom::micros_in_range(unix_micros)) return std::nullopt;
    return unix_micros;
}

Datum text_datum_from_utf8(std::string_view utf8) {
    std::string_view s = utf8_to_server(utf8);
    auto* out = static_cast<text*>(palloc_or_throw(VARHDRSZ + s.size()));
    SET_VARSIZE(out, VARHDRSZ + s.size());
    if (!s.empty()) std::memcpy(VARDATA(out), s.data(), s.size());
    return PointerGetDatum(out);
}

}  // namespace persistence::pg
