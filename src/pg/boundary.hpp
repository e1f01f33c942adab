// The boundary between C++ and PostgreSQL (STYLE.md §1): the only place where one kind
// of error becomes the other.
//
// * C++ → PostgreSQL: every SQL-callable function is defined with PERSISTENCE_FUNCTION,
//   which runs its body inside guard(). guard() catches every C++ exception, copies what
//   it needs into plain memory, leaves the catch block, and only then calls ereport, so
//   the longjmp never crosses a live C++ object.
// * PostgreSQL → C++: while C++ objects with destructors are alive, PostgreSQL is called
//   through call_pg(), which catches the longjmp (PG_TRY), copies the ErrorData and
//   throws it as PgError; guard() re-raises it with ReThrowError, keeping SQLSTATE,
//   DETAIL, HINT and CONTEXT. The lambda given to call_pg must itself create no C++
//   object with a destructor (the longjmp would skip it).
// * Expected core failures (core::Error) are thrown as CoreError and become ereport with
//   their own SQLSTATE, message, detail and hint.
//
// Rule of thumb for a function body: fetch and detoast arguments first (plain PG calls,
// nothing to unwind yet), then do C++ work, calling PostgreSQL only through call_pg or
// the no-throw helpers below.
#pragma once

#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include "persistence/core/error.hpp"
#include "pg/pg_headers.hpp"

namespace persistence::pg {

// A PostgreSQL error caught by call_pg, on its way back to guard().
class PgError : public std::exception {
   public:
    explicit PgError(ErrorData* edata) : edata_(edata) {}
    ErrorData* edata() const { return edata_; }
    const char* what() const noexcept override;

   private:
    ErrorData* edata_;  // palloc'd in the memory context that was current at the call
};

// An expected failure of the core, on its way back to guard().
class CoreError : public std::exception {
   public:
    explicit CoreError(core::Error error) : error_(std::move(error)) {}
    const core::Error& error() const { return error_; }
    const char* what() const noexcept override { return error_.message.c_str(); }

   private:
    core::Error error_;
};

[[noreturn]] inline void raise(const core::Error& e) { throw CoreError(e); }

// Plain-memory copy of a caught exception: only C strings (malloc'd, freed before the
// ereport) so nothing with a destructor is alive when the longjmp happens.
struct PendingError {
    ErrorData* pg_error;  // set for PgError: rethrown as is
    char sqlstate[6];
    char* message;
    char* detail;
    char* hint;
};

// Called inside the catch blocks: must not call PostgreSQL.
void capture(PendingError& pending, const std::exception* e) noexcept;
// Called after the catch block has been left: raises the error, never returns.
[[noreturn]] void raise_pending(PendingError& pending);

template <typename Body>
Datum guard(Body&& body) {
    PendingError pending{};
    try {
        return body();
    } catch (const std::exception& e) {
        capture(pending, &e);
    } catch (...) {
        capture(pending, nullptr);
    }
    raise_pending(pending);
}

// Runs a PostgreSQL call from C++ code: a PostgreSQL ERROR becomes a thrown PgError.
// The result type must be a scalar (a Datum, a pointer, a number).
template <typename F>
auto call_pg(F&& f) -> decltype(f()) {
    using R = decltype(f());
    if constexpr (std::is_void_v<R>) {
        call_pg([&f] {
            f();
            return 0;
        });
    } else {
        static_assert(std::is_scalar_v<R>, "call_pg returns plain values only");
        MemoryContext volatile caller_context = CurrentMemoryContext;
        ErrorData* volatile caught = nullptr;
        // volatile: a local assigned between sigsetjmp and longjmp must be (C11 7.13.2.1).
        volatile R result{};
        PG_TRY();
        {
            result = f();
        }
        PG_CATCH();
        {
            MemoryContextSwitchTo(caller_context);
            caught = CopyErrorData();
            FlushErrorState();
        }
        PG_END_TRY();
        if (caught != nullptr) throw PgError(caught);
        return result;
    }
}

// palloc that reports out-of-memory as std::bad_alloc instead of a longjmp; cheaper than
// call_pg on hot paths. Sizes above MaxAllocSize are a bug and also throw.
void* palloc_or_throw(size_t size);

}  // namespace persistence::pg

// Defines an SQL-callable function: `PERSISTENCE_FUNCTION(persistence_x) { ... }` with
// `fcinfo` in scope, like PG_FUNCTION_ARGS. The exported symbol is extern "C" and, unlike
// what PostgreSQL 15's PG_FUNCTION_INFO_V1 declares, visible under -fvisibility=hidden.
#define PERSISTENCE_FUNCTION(name)                                                        \
    extern "C" {                                                                          \
    PG_FUNCTION_INFO_V1(name);                                                            \
    }                                                                                     \
    static Datum name##_body([[maybe_unused]] FunctionCallInfo fcinfo);                                  \
    extern "C" PGDLLEXPORT Datum name(PG_FUNCTION_ARGS) {                                 \
        return persistence::pg::guard([fcinfo]() -> Datum { return name##_body(fcinfo); }); \
    }                                                                                     \
    static Datum name##_body([[maybe_unused]] FunctionCallInfo fcinfo)
