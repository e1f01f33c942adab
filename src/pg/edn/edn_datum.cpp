#include "pg/edn/edn_datum.hpp"

#include <cstring>

#include "persistence/edn/format.hpp"

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

}  // namespace persistence::pg
