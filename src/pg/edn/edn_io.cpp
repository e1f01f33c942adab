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
#include "mb/pg_wchar.h"
}

using namespace persistence;

namespace {

// EDN text is UTF-8. Databases in another encoding convert at the boundary; SQL_ASCII
// passes bytes through, which the reader then validates as UTF-8 (22021).
bool needs_conversion() {
    int enc = GetDatabaseEncoding();
    return enc != PG_UTF8 && enc != PG_SQL_ASCII;
}

}  // namespace

// persistence.edn_in(cstring) → edn
PERSISTENCE_FUNCTION(persistence_edn_in) {
    char* text = PG_GETARG_CSTRING(0);
    size_t len = strlen(text);
    if (needs_conversion()) {
        text = pg_server_to_any(text, int(len), PG_UTF8);
        len = strlen(text);
    }
    auto encoded = edn::read(std::string_view(text, len), pg::edn_limits());
    if (!encoded) pg::raise(encoded.error());
    return pg::edn_datum(encoded.value());
}

// persistence.edn_out(edn) → cstring: the canonical text.
PERSISTENCE_FUNCTION(persistence_edn_out) {
    edn::ValueRef v = pg::edn_arg(fcinfo, 0);
    std::string text;
    edn::print(v, text);
    char* out = static_cast<char*>(pg::palloc_or_throw(text.size() + 1));
    std::memcpy(out, text.c_str(), text.size() + 1);
    if (needs_conversion()) {
        // EDN text may hold characters the database encoding cannot show: PostgreSQL
        // reports those itself (22P05).
        const char* utf8 = out;
        size_t n = text.size();
        out = pg::call_pg([&] { return pg_any_to_server(utf8, int(n), PG_UTF8); });
    }
    PG_RETURN_CSTRING(out);
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
