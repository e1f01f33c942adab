#include "persistence/edn/inst.hpp"

#include <string>

#include "persistence/edn/utf8.hpp"

namespace persistence::edn {

// Howard Hinnant's algorithms: exact for every proleptic Gregorian date, no tables.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
    year -= month <= 2;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const unsigned yoe = unsigned(year - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day) {
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = unsigned(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = int64_t(yoe) + era * 400 + (month <= 2);
}

namespace {

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
    static constexpr unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool digits(std::string_view s, size_t pos, size_t n, unsigned& out) {
    if (pos + n > s.size()) return false;
    unsigned v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        char c = s[i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + unsigned(c - '0');
    }
    out = v;
    return true;
}

core::Error shape_error(std::string_view text) {
    std::string shown(utf8::prefix(text, 64));
    if (shown.size() < text.size()) shown += "...";
    return core::Error(core::sqlstate::invalid_text_representation, "invalid #inst \"" + shown + "\"",
                       "Use RFC 3339, e.g. #inst \"2026-11-25T10:00:00Z\" or "
                       "#inst \"2026-11-25T12:00:00.5+02:00\".");
}

core::Error field_error(const char* field, unsigned value, const char* hint = "") {
    return core::Error(core::sqlstate::datetime_field_overflow,
                       std::string("#inst ") + field + " " + std::to_string(value) + " is out of range",
                       hint);
}

}  // namespace

core::Status parse_rfc3339(std::string_view s, Inst& out) {
    unsigned year, month, day, hour, minute, second;
    if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, hour) || s[13] != ':' ||
        !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second)) {
        return shape_error(s);
    }
    size_t pos = 19;
    uint32_t nanos = 0;
    if (s[pos] == '.') {
        size_t begin = ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        size_t n = pos - begin;
        if (n == 0) return shape_error(s);
        if (n > 9) {
            return core::Error(core::sqlstate::invalid_text_representation,
                               "#inst fraction has more than 9 digits",
                               "Nanoseconds are the finest resolution.");
        }
        for (size_t i = 0; i < 9; ++i) nanos = nanos * 10 + (i < n ? uint32_t(s[begin + i] - '0') : 0);
    }
    int offset_seconds = 0;
    unsigned off_hour = 0, off_minute = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        bool negative = s[pos] == '-';
        if (!digits(s, pos + 1, 2, off_hour) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, off_minute)) {
            return shape_error(s);
        }
        pos += 6;
        offset_seconds = int(off_hour * 3600 + off_minute * 60) * (negative ? -1 : 1);
    } else {
        return shape_error(s);
    }
    if (pos != s.size()) return shape_error(s);

    if (month < 1 || month > 12) return field_error("month", month);
    if (day < 1 || day > days_in_month(year, month)) return field_error("day", day);
    if (hour > 23) return field_error("hour", hour);
    if (minute > 59) return field_error("minute", minute);
    if (second > 59) {
        return field_error("second", second, second == 60 ? "Leap seconds are not supported." : "");
    }
    if (off_hour > 23) return field_error("offset hour", off_hour);
    if (off_minute > 59) return field_error("offset minute", off_minute);

    int64_t t = days_from_civil(year, month, day) * 86400 + int64_t(hour) * 3600 + minute * 60 + second -
                offset_seconds;
    if (t < inst_min_seconds || t > inst_max_seconds) {
        return core::Error(core::sqlstate::datetime_field_overflow,
                           "#inst year is out of range after conversion to UTC",
                           "The year in UTC must be between 0000 and 9999.");
    }
    out.seconds = t;
    out.nanos = nanos;
    return {};
}

}  // namespace persistence::edn
