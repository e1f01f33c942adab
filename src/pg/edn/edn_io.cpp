// persistence.edn input/output: text (edn_in/edn_out) and binary (edn_recv/edn_send).
#include <cstring>
#include <string>

#include "persistence/edn/printer.hpp"
#include "persistence/edn/reader.hpp"
#include "persistence/edn/validate.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/guc.hpp"

extern "C" {
#include "libpq/pqformat.h"
}

using namespace persistence;


// persistence.edn_in(cstring) → edn
PERSISTENCE_FUNCTION(persistence_edn_in) {
    std::string_view text = pg::server_to_utf8(PG_GETARG_CSTRING(0));
    return pg::edn_result(edn::read(text, pg::edn_limits()));
}

// persistence.edn_out(edn) → cstring: the canonical text.
PERSISTENCE_FUNCTION(persistence_edn_out) {
    edn::ValueRef v = pg::edn_arg(fcinfo, 0);
    std::string text;
    edn::print(v, text);
    char* out = static_cast<char*>(pg::palloc_or_throw(text.size() + 1));
    std::memcpy(out, text.c_str(), text.size() + 1);
    PG_RETURN_CSTRING(pg::utf8_to_server(std::string_view(out, text.size())).data());
}

// persistence.edn_recv(internal) → edn: u8 version, then the encoded value, validated.
PERSISTENCE_FUNCTION(persistence_edn_recv) {
    StringInfo buf = reinterpret_cast<StringInfo>(PG_GETARG_POINTER(0));
    int version = pq_getmsgbyte(buf);
    if (version != edn::format_version)
        ereport(ERROR, (errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
                        errmsg("unsupported binary EDN format version %d", version),
                        errhint("This server reads version %d.", int(edn::format_version))));
    const uint8* bytes = reinterpret_cast<const uint8*>(buf->data + buf->cursor);
    size_t n = size_t(buf->len - buf->cursor);
    buf->cursor = buf->len;
    core::Status status = edn::validate(bytes, n, pg::edn_limits());
    if (!status) pg::raise(status.error());
    return pg::edn_datum(std::string_view(reinterpret_cast<const char*>(bytes), n));
}

// persistence.edn_send(edn) → bytea
PERSISTENCE_FUNCTION(persistence_edn_send) {
    edn::ValueRef v = pg::edn_arg(fcinfo, 0);
    size_t total = VARHDRSZ + 1 + v.size();
    bytea* out = static_cast<bytea*>(pg::palloc_or_throw(total));
    SET_VARSIZE(out, total);
    VARDATA(out)[0] = char(edn::format_version);
    std::memcpy(VARDATA(out) + 1, v.data(), v.size());
    PG_RETURN_BYTEA_P(out);
}
