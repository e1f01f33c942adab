// A seeded random generator of EDN values, built through the Encoder, for property tests.
#pragma once

#include <cstring>
#include <random>
#include <string>

#include "persistence/edn/encoder.hpp"
#include "persistence/edn/inst.hpp"
#include "persistence/edn/symbol.hpp"
#include "persistence/edn/utf8.hpp"

namespace edn_test {

class Generator {
 public:
    // small: draw scalars from a tiny space so that equal and near-equal values are common.
    explicit Generator(uint32_t seed, bool small = false) : rng_(seed), small_(small) {}

    // One encoded value; retries when a random map or set got a duplicate.
    std::string value(int max_depth = 4) {
        for (;;) {
            persistence::edn::Encoder enc;
            add(enc, max_depth);
            auto r = enc.finish();
            if (r.ok()) return r.take();
        }
    }

    void add(persistence::edn::Encoder& e, int depth) {
        namespace edn = persistence::edn;
        int kind = int(pick(depth > 0 ? 21 : 15));
        switch (kind) {
            case 0:
                e.nil();
                break;
            case 1:
                e.boolean(pick(2));
                break;
            case 2:
                e.integer(integer());
                break;
            case 3: {
                std::string d = "1" + digits(small_ ? 19 : 19 + pick(25));
                e.bigint(pick(2), d);
                break;
            }
            case 4:
                e.real(real());
                break;
            case 5:
                e.decimal(pick(2), digits(1 + pick(small_ ? 2 : 30)),
                          int32_t(pick(small_ ? 5 : 41)) - (small_ ? 2 : 20));
                break;
            case 6:
                e.character(code_point());
                break;
            case 7:
                e.string(text(small_ ? 2 : 12));
                break;
            case 8:
                e.keyword(name());
                break;
            case 9:
                e.symbol(name());
                break;
            case 10: {
                int64_t span = persistence::edn::inst_max_seconds - persistence::edn::inst_min_seconds;
                int64_t s = persistence::edn::inst_min_seconds + int64_t(rng_() % uint64_t(span + 1));
                if (small_) s = int64_t(pick(3));
                uint32_t nanos = small_ ? uint32_t(pick(2)) * 500000000u : uint32_t(rng_() % 1000000000u);
                if (pick(3) == 0) nanos = nanos / 1000000 * 1000000;
                e.inst(persistence::edn::Inst{s, nanos});
                break;
            }
            case 11: {
                uint8_t b[16];
                for (auto& x : b) x = uint8_t(small_ ? pick(2) : rng_());
                e.uuid(b);
                break;
            }
            case 12:
                e.integer(int64_t(pick(5)) - 2);
                break;
            case 13:
                e.keyword(pick(2) ? "a" : "b");
                break;
            case 14:
                e.string(pick(2) ? "" : "a");
                break;
            case 15:
            case 16:
            case 17:
            case 18:
            case 19: {
                static constexpr edn::Tag tags[] = {edn::Tag::list, edn::Tag::vector, edn::Tag::map,
                                                    edn::Tag::set};
                edn::Tag t = tags[kind - 15 < 4 ? kind - 15 : pick(4)];
                e.begin(t);
                uint32_t n = pick(small_ ? 3 : 6);
                for (uint32_t i = 0; i < n * (t == edn::Tag::map ? 2 : 1); ++i) add(e, depth - 1);
                e.end();
                break;
            }
            default: {
                std::string tag;
                do tag = std::string(1, char('a' + pick(3))) + name();
                while (!edn::valid_tag(tag));
                e.begin_tagged(small_ ? tag.substr(0, 1) : tag);
                add(e, depth - 1);
                e.end();
                break;
            }
        }
    }

    uint32_t pick(uint32_t n) { return uint32_t(rng_() % n); }
    std::mt19937& rng() { return rng_; }

 private:
    int64_t integer() {
        if (small_) return int64_t(pick(5)) - 2;
        switch (pick(4)) {
            case 0:
                return int64_t(pick(200)) - 100;
            case 1:
                return pick(2) ? INT64_MAX - int64_t(pick(3)) : INT64_MIN + int64_t(pick(3));
            default:
                return int64_t(uint64_t(rng_()) << 32 | rng_());
        }
    }

    double real() {
        if (small_) return double(int(pick(5)) - 2) / 2;
        switch (pick(6)) {
            case 0:
                return double(int(pick(2001)) - 1000) / 8;
            case 1: {
                static constexpr double specials[] = {0.0,  -0.0, 1e308, 5e-324, 2.2250738585072014e-308,
                                                      1e-7, 1e21, 0.1};
                double d = specials[pick(8)];
                if (pick(4) == 0) d = __builtin_inf();
                if (pick(8) == 0) d = __builtin_nan("");
                return pick(2) ? -d : d;
            }
            default: {
                uint64_t bits = uint64_t(rng_()) << 32 | rng_();
                double d;
                std::memcpy(&d, &bits, 8);
                return d;
            }
        }
    }

    std::string digits(uint32_t n) {
        std::string d;
        for (uint32_t i = 0; i < n; ++i) d += char('0' + pick(10));
        return d;
    }

    uint32_t code_point() {
        for (;;) {
            uint32_t c;
            switch (pick(5)) {
                case 0:
                    c = pick(0x20);
                    break;
                case 1:
                    c = 0x20 + pick(0x60);
                    break;
                case 2:
                    c = 0x7F + pick(0x80);
                    break;
                case 3:
                    c = pick(0x10000);
                    break;
                default:
                    c = pick(0x110000);
                    break;
            }
            if (small_) c = 'a' + pick(3);
            if (persistence::edn::utf8::is_scalar(c)) return c;
        }
    }

    std::string text(uint32_t max_len) {
        std::string s;
        uint32_t n = pick(max_len + 1);
        for (uint32_t i = 0; i < n; ++i) {
            uint32_t c = pick(3) == 0 ? code_point() : uint32_t(" \"\\\nabcxyz/;()"[pick(14)]);
            persistence::edn::utf8::append(c, s);
        }
        return s;
    }

    std::string part() {
        static const char* starts[] = {"a",
                                       "b",
                                       "Z",
                                       ".",
                                       "*",
                                       "+",
                                       "!",
                                       "-",
                                       "_",
                                       "?",
                                       "$",
                                       "%",
                                       "&",
                                       "=",
                                       "<",
                                       ">",
                                       "\xc3\xa9",
                                       "\xce\xbb",
                                       "\xf0\x9f\x98\x80"};
        static const char* rest[] = {"a", "z", "0", "9", "#",        ":",
                                     "'", ".", "-", "+", "\xc2\xa0", "\xc2\x85"};
        std::string s = starts[pick(small_ ? 2 : 19)];
        uint32_t n = pick(small_ ? 2 : 6);
        for (uint32_t i = 0; i < n; ++i) s += rest[pick(small_ ? 2 : 12)];
        return s;
    }

    std::string name() {
        for (;;) {
            std::string s = pick(4) == 0 ? part() + "/" + part() : part();
            if (!small_ && pick(50) == 0) s = "/";
            if (persistence::edn::valid_symbol(s)) return s;
        }
    }

    std::mt19937 rng_;
    bool small_;
};

}  // namespace edn_test
