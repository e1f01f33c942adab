// The error conversions declared in boundary.hpp.
#include <cstdlib>
#include <cstring>
#include <new>

#include "pg/boundary.hpp"

namespace persistence::pg {

const char* PgError::what() const noexcept {
    return edata_ != nullptr && edata_->message != nullptr ? edata_->message : "PostgreSQL error";
}

namespace {

// strdup that never throws and never calls PostgreSQL; nullptr when out of memory.
char* copy_or_null(const char* s) {
    if (s == nullptr || *s == '\0') return nullptr;
    return strdup(s);
}

void set_code(PendingError& p, const char* code) {
    std::memcpy(p.sqlstate, code, 5);
    p.sqlstate[5] = '\0';
}

// Copies a malloc'd string into the current memory context and frees the original.
char* to_palloc(char* s) {
    if (s == nullptr) return nullptr;
    char* copy = pstrdup(s);  // may longjmp on OOM: s then leaks, nothing else does
    free(s);
    return copy;
}

}  // namespace

void capture(PendingError& p, const std::exception* e) noexcept {
    p.pg_error = nullptr;
    if (const auto* pg = dynamic_cast<const PgError*>(e)) {
        p.pg_error = pg->edata();
        return;
    }
    if (const auto* core = dynamic_cast<const CoreError*>(e)) {
        const core::Error& err = core->error();
        set_code(p, err.code.size() == 5 ? err.code.c_str() : core::sqlstate::internal_error);
        p.message = copy_or_null(err.message.c_str());
        p.detail = copy_or_null(err.detail.c_str());
        p.hint = copy_or_null(err.hint.c_str());
        return;
    }
    if (dynamic_cast<const std::bad_alloc*>(e) != nullptr) {
        set_code(p, "53200");
        p.message = copy_or_null("out of memory in the persistence extension");
        return;
    }
    set_code(p, core::sqlstate::internal_error);
    p.message = copy_or_null(e != nullptr ? e->what() : "unknown C++ exception");
    p.hint = copy_or_null("This is a bug in the persistence extension; please report it.");
}

void raise_pending(PendingError& p) {
    if (p.pg_error != nullptr) ReThrowError(p.pg_error);
    const char* message = to_palloc(p.message);
    const char* detail = to_palloc(p.detail);
    const char* hint = to_palloc(p.hint);
    int code = MAKE_SQLSTATE(p.sqlstate[0], p.sqlstate[1], p.sqlstate[2], p.sqlstate[3], p.sqlstate[4]);
    ereport(ERROR, (errcode(code), errmsg_internal("%s", message ? message : "persistence: error"),
                    detail ? errdetail_internal("%s", detail) : 0, hint ? errhint("%s", hint) : 0));
    pg_unreachable();
}

void* palloc_or_throw(size_t size) {
    if (!AllocSizeIsValid(size)) throw std::bad_alloc();
    void* p = palloc_extended(size, MCXT_ALLOC_NO_OOM);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

}  // namespace persistence::pg
