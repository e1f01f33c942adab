// persistence.datom input/output: text (datom_in/datom_out) and binary (datom_recv/datom_send).
#include <cstring>
#include <string>

#include "persistence/datom/codec.hpp"
#include "pg/datom/datom_datum.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/guc.hpp"

extern "C" {
#include "libpq/pqformat.h"
}

using namespace persistence;

// persistence.datom_in(cstring) → datom: #datom [e a v tx tx-time valid-from valid-to op]
PERSISTENCE_FUNCTION(persistence_datom_in) {
    std::string_view text = pg::server_to_utf8(PG_GETARG_CSTRING(0));
    auto d = datom::parse(text, pg::edn_limits());
    if (!d) pg::raise(d.error());
    return pg::datom_datum(d.value().view());
}

// persistence.datom_out(datom) → cstring: the canonical text.
PERSISTENCE_FUNCTION(persistence_datom_out) {
    datom::DatomView d = pg::datom_arg(fcinfo, 0);
    std::string text;
    datom::print(d, text);
    char* out = static_cast<char*>(pg::palloc_or_throw(text.size() + 1));
    std::memcpy(out, text.c_str(), text.size() + 1);
    PG_RETURN_CSTRING(pg::utf8_to_server(std::string_view(out, text.size())).data());
}

// persistence.datom_recv(internal) → datom: u8 version, then the payload, every byte checked.
PERSISTENCE_FUNCTION(persistence_datom_recv) {
    StringInfo buf = reinterpret_cast<StringInfo>(PG_GETARG_POINTER(0));
    int version = pq_getmsgbyte(buf);
    if (version != datom::format_version)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("unsupported binary datom format version %d", version),
                        errhint("This server reads version %d.", int(datom::format_version))));
    const uint8* bytes = reinterpret_cast<const uint8*>(buf->data + buf->cursor);
    size_t n = size_t(buf->len - buf->cursor);
    buf->cursor = buf->len;
    auto d = datom::decode(bytes, n, pg::edn_limits());
    if (!d) pg::raise(d.error());
    return pg::datom_datum(d.value());
}

// persistence.datom_send(datom) → bytea: u8 version, then the payload.
PERSISTENCE_FUNCTION(persistence_datom_send) {
    struct varlena* v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
    pg::datom_view(PointerGetDatum(v));  // checks the version byte
    const char* stored = VARDATA_ANY(v);
    size_t n = VARSIZE_ANY_EXHDR(v);
    // The stored bytes after vl_len_ are: version, reserved[3], payload.
    size_t payload = n - (pg::datom_header_size - VARHDRSZ);
    size_t total = VARHDRSZ + 1 + payload;
    bytea* out = static_cast<bytea*>(pg::palloc_or_throw(total));
    SET_VARSIZE(out, total);
    VARDATA(out)[0] = char(datom::format_version);
    std::memcpy(VARDATA(out) + 1, stored + (pg::datom_header_size - VARHDRSZ), payload);
    PG_RETURN_BYTEA_P(out);
}
