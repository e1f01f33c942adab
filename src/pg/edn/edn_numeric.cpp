#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "persistence/edn/printer.hpp"
#include "pg/edn/edn_numeric.hpp"

extern "C" {
#include "utils/numeric.h"
}

namespace persistence::pg {

bool encode_numeric(edn::Encoder& enc, Datum numeric) {
    const char* text = call_pg([&] { return DatumGetCString(DirectFunctionCall1(numeric_out, numeric)); });
    if (std::strcmp(text, "NaN") == 0) return enc.real(std::numeric_limits<double>::quiet_NaN());
    if (std::strcmp(text, "Infinity") == 0) return enc.real(HUGE_VAL);
    if (std::strcmp(text, "-Infinity") == 0) return enc.real(-HUGE_VAL);
    // numeric_out prints plain notation: -?digits(.digits)?
    bool negative = text[0] == '-';
    const char* digits = negative ? text + 1 : text;
    const char* point = std::strchr(digits, '.');
    if (point == nullptr) return enc.bigint(negative, digits);
    std::string coefficient(digits, point);
    coefficient.append(point + 1);
    return enc.decimal(negative, coefficient, int32_t(std::strlen(point + 1)));
}

Datum numeric_from_edn(edn::ValueRef v) {
    if (v.tag() == edn::Tag::integer) {
        int64 i = v.as_int();
        return call_pg([&] { return NumericGetDatum(int64_to_numeric(i)); });
    }
    std::string text;
    if (v.tag() == edn::Tag::decimal) {
        edn::format_decimal_plain(v.as_decimal(), text);
    } else {
        edn::print(v, text);  // bigint "…N" or a double's shortest form
        if (!text.empty() && text.back() == 'N') text.pop_back();
    }
    const char* c = text.c_str();
    return call_pg([&] {
        return DirectFunctionCall3(numeric_in, CStringGetDatum(c), ObjectIdGetDatum(InvalidOid),
                                   Int32GetDatum(-1));
    });
}

}  // namespace persistence::pg
