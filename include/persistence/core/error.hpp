// Expected failures of the pure core, returned as values (STYLE.md §1).
//
// The core never sees PostgreSQL, but SQLSTATEs are an SQL-standard notion, so the
// core names the class of each failure with its five-character SQLSTATE and the
// PostgreSQL face turns it into ereport() unchanged.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <string>
#include <utility>

namespace persistence::core {

// SQLSTATEs the core reports; each is the standard five-character code.
namespace sqlstate {
inline constexpr const char* invalid_text_representation = "22P02";
inline constexpr const char* character_not_in_repertoire = "22021";
inline constexpr const char* numeric_value_out_of_range = "22003";
inline constexpr const char* program_limit_exceeded = "54000";
inline constexpr const char* invalid_parameter_value = "22023";
inline constexpr const char* invalid_binary_representation = "22P03";
inline constexpr const char* untranslatable_character = "22P05";
inline constexpr const char* datetime_field_overflow = "22008";
inline constexpr const char* internal_error = "XX000";
}  // namespace sqlstate

struct Error {
    std::string code;     // SQLSTATE, e.g. "22P02"
    std::string message;  // primary message, names what was wrong
    std::string detail;   // optional
    std::string hint;     // optional, how to fix it

    Error() = default;
    Error(std::string c, std::string m, std::string h = {}, std::string d = {})
        : code(std::move(c)), message(std::move(m)), detail(std::move(d)), hint(std::move(h)) {}
};

// A value or an Error. Deliberately tiny: no std::variant so the happy path stays cheap.
template <typename T>
class Result {
   public:
    Result(T value) : ok_(true), value_(std::move(value)) {}
    Result(Error error) : ok_(false), error_(std::move(error)) {}

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    T& value() { return value_; }
    const T& value() const { return value_; }
    T&& take() { return std::move(value_); }
    const Error& error() const { return error_; }

   private:
    bool ok_;
    T value_{};
    Error error_{};
};

// Result without a value.
class Status {
   public:
    Status() = default;
    Status(Error error) : ok_(false), error_(std::move(error)) {}
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }

   private:
    bool ok_ = true;
    Error error_{};
};

}  // namespace persistence::core
