#include "pg/edn/edn_datum.hpp"

#include <cstring>

#include "persistence/edn/format.hpp"

extern "C" {
#include "mb/pg_wchar.h"
}

namespace persistence::pg {

edn::ValueRef edn_view(Datum d) {
    struct varlena* v = PG_DETOAST_DATUM_PACKED(d);
    const uint8* bytes = reinterpret_cast<const uint8*>(VARDATA_ANY(v));
    size_t len = VARSIZE_ANY_EXHDR(v);
    // The header is 4 bytes after vl_len_; the shortest value (nil) is one byte.
    if (len < edn_header_size - VARHDRSZ + 1 || bytes[0] != edn::format_version)
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("persistence.edn value has unknown format version %d", len ? bytes[0] : -1),
                        errhint("The value was written by a newer or damaged installation.")));
    return edn::ValueRef(bytes + (edn_header_size - VARHDRSZ));
}

edn::ValueRef edn_arg(FunctionCallInfo fcinfo, int n) { return edn_view(PG_GETARG_DATUM(n)); }

Datum edn_datum(std::string_view encoded) {
    size_t total = edn_header_size + encoded.size();
    auto* out = static_cast<EdnOnDisk*>(palloc_or_throw(total));
    SET_VARSIZE(out, total);
    out->version = edn::format_version;
    std::memset(out->reserved, 0, sizeof out->reserved);
    std::memcpy(out->value, encoded.data(), encoded.size());
    return PointerGetDatum(out);
}

Datum edn_datum(edn::ValueRef v) {
    return edn_datum(std::string_view(reinterpret_cast<const char*>(v.data()), v.size()));
}

Datum edn_result(const core::Result<std::string>& encoded) {
    if (!encoded) raise(encoded.error());
    return edn_datum(encoded.value());
}

namespace {
bool database_is_utf8() {
    int enc = GetDatabaseEncoding();
    return enc == PG_UTF8 || enc == PG_SQL_ASCII;
}
}  // namespace

std::string_view server_to_utf8(std::string_view text) {
    if (database_is_utf8()) return text;
    const char* out = call_pg([&] { return pg_server_to_any(text.data(), int(text.size()), PG_UTF8); });
    return out == text.data() ? text : std::string_view(out);
}

std::string_view utf8_to_server(std::string_view utf8) {
    if (database_is_utf8()) return utf8;
    const char* out = call_pg([&] { return pg_any_to_server(utf8.data(), int(utf8.size()), PG_UTF8); });
    return out == utf8.data() ? utf8 : std::string_view(out);
}

}  // namespace persistence::pg
