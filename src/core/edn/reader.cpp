#include "persistence/edn/reader.hpp"

#include <cstring>

#include "limits.hpp"
#include "persistence/edn/symbol.hpp"
#include "persistence/edn/utf8.hpp"
#include "reader_impl.hpp"

namespace persistence::edn {

namespace detail {

namespace {

const char* kind_name(Tag kind) {
    switch (kind) {
        case Tag::list:
            return "list";
        case Tag::vector:
            return "vector";
        case Tag::map:
            return "map";
        case Tag::set:
            return "set";
        default:
            return "tagged value";
    }
}

char closer_of(Tag kind) {
    switch (kind) {
        case Tag::list:
            return ')';
        case Tag::vector:
            return ']';
        default:
            return '}';
    }
}

}  // namespace

size_t Reader::retained() const {
    return frames_.capacity() * sizeof(Frame) + item_pos_.capacity() * sizeof(size_t) +
           discards_.capacity() * sizeof(Discard) + scratch_.capacity() + enc_.capacity();
}

// Every reader error carries a hint; errors without a specific one get the general
// advice for their class.
static std::string default_hint(const std::string& code) {
    if (code == core::sqlstate::invalid_text_representation)
        return "Check the EDN syntax at that position (docs/edn.md, \"Grammar\").";
    if (code == core::sqlstate::datetime_field_overflow)
        return "Months run 01-12, days to the month's end, hours 00-23, minutes and seconds 00-59, "
               "offsets up to +/-23:59, years 0000-9999.";
    if (code == core::sqlstate::character_not_in_repertoire) return "EDN text must be valid UTF-8.";
    return {};
}

bool Reader::fail(const char* code, std::string message, std::string hint) {
    if (hint.empty()) hint = default_hint(code);
    error_ = core::Error(code, std::move(message), std::move(hint));
    return false;
}

std::string Reader::where(size_t at) const {
    size_t line = 1, line_start = 0;
    const char* s = text_.data();
    for (const char* q = s;
         size_t(q - s) < at && (q = static_cast<const char*>(std::memchr(q, '\n', at - size_t(q - s))));
         ++q) {
        ++line;
        line_start = size_t(q - s) + 1;
    }
    size_t column = 1 + utf8::count(text_.substr(line_start, at - line_start));
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string Reader::found(size_t at) const {
    if (at >= text_.size()) return "end of input";
    uint8_t c = uint8_t(text_[at]);
    if (c < 0x20 || c == 0x7F) {
        static constexpr char hex[] = "0123456789ABCDEF";
        return std::string("U+00") + hex[c >> 4] + hex[c & 15];
    }
    uint32_t cp;
    const uint8_t* p = reinterpret_cast<const uint8_t*>(text_.data()) + at;
    size_t len = utf8::decode(p, reinterpret_cast<const uint8_t*>(end_), cp);
    return "'" + std::string(text_.substr(at, len ? len : 1)) + "'";
}

std::string Reader::shown(const char* b, const char* e) const {
    std::string_view tok(b, size_t(e - b));
    std::string_view head = utf8::prefix(tok, 64);
    return "'" + std::string(head) + (head.size() < tok.size() ? "...'" : "'");
}

const char* Reader::token_end(const char* p) const {
    while (p < end_ && !is_delim(*p)) ++p;
    return p;
}

// One pass over the whole text first, so the rest of the reader can trust that every
// byte is valid UTF-8 and none is NUL.
bool Reader::check_bytes() {
    const uint8_t* b = reinterpret_cast<const uint8_t*>(text_.data());
    size_t n = text_.size(), i = 0;
    while (i < n) {
        while (n - i >= 8) {
            uint64_t w;
            std::memcpy(&w, b + i, 8);
            uint64_t high = w & 0x8080808080808080ULL;
            uint64_t zero = (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
            if (high | zero) break;
            i += 8;
        }
        if (i == n) break;
        if (b[i] == 0) {
            return fail_at(core::sqlstate::invalid_text_representation, "unexpected NUL byte", i);
        }
        if (b[i] < 0x80) {
            ++i;
            continue;
        }
        uint32_t cp;
        size_t len = utf8::decode(b + i, b + n, cp);
        if (len == 0) {
            return fail_at(core::sqlstate::character_not_in_repertoire, "invalid UTF-8 byte sequence", i);
        }
        i += len;
    }
    return true;
}

void Reader::skip_space() {
    while (p_ < end_) {
        char c = *p_;
        if (is_space(c)) {
            ++p_;
        } else if (c == ';') {
            const void* nl = std::memchr(p_, '\n', size_t(end_ - p_));
            p_ = nl ? static_cast<const char*>(nl) + 1 : end_;
        } else {
            return;
        }
    }
}

core::Result<std::string> Reader::run(std::string_view text, const Limits& limits) {
    text_ = text;
    p_ = text.data();
    end_ = text.data() + text.size();
    limits_ = effective(limits);
    enc_.reset(limits_);
    frames_.clear();
    item_pos_.clear();
    discards_.clear();
    top_done_ = false;
    if (!check_bytes()) return error_;
    for (;;) {
        skip_space();
        if (p_ == end_) break;
        char c = *p_;
        bool ok;
        if (c == ')' || c == ']' || c == '}') {
            ok = close();
        } else if (c == '#' && p_ + 1 < end_ && p_[1] == '_') {
            discards_.push_back(Discard{enc_.begin_discard(), frames_.size(), off(p_)});
            p_ += 2;
            ok = true;
        } else if (frames_.empty() && top_done_ && !discard_pending()) {
            ok = fail(core::sqlstate::invalid_text_representation,
                      "expected end of input, found " + found(off(p_)) + " at " + where(off(p_)),
                      "An EDN text holds exactly one value; wrap several in a vector.");
        } else {
            ok = value();
        }
        if (!ok) return error_;
    }
    if (!at_end_of_input()) return error_;
    auto bytes = enc_.finish_view();
    if (!bytes) return bytes.error();
    return std::string(bytes.value());
}

bool Reader::at_end_of_input() {
    size_t at = text_.size();
    if (discard_pending()) {
        return fail(core::sqlstate::invalid_text_representation, "expected a value after the #_ at " +
                                                                     where(discards_.back().at) +
                                                                     ", found end of input at " + where(at));
    }
    if (!frames_.empty()) {
        const Frame& f = frames_.back();
        if (f.kind == Tag::tagged) {
            return fail(core::sqlstate::invalid_text_representation,
                        "expected a value after the tag at " + where(f.open) + ", found end of input at " +
                            where(at));
        }
        return fail(core::sqlstate::invalid_text_representation,
                    std::string("expected '") + closer_of(f.kind) + "' to close the " + kind_name(f.kind) +
                        " opened at " + where(f.open) + ", found end of input at " + where(at));
    }
    if (!top_done_) {
        return fail_at(core::sqlstate::invalid_text_representation, "expected a value, found end of input",
                       at);
    }
    return true;
}

bool Reader::value() {
    char c = *p_;
    switch (c) {
        case '(':
            return open(Tag::list, 1);
        case '[':
            return open(Tag::vector, 1);
        case '{':
            return open(Tag::map, 1);
        case '"':
            return string_value();
        case ':':
            return keyword();
        case '\\':
            return character();
        case '#':
            return dispatch();
        default:
            break;
    }
    if ((c >= '0' && c <= '9') || ((c == '-' || c == '+') && p_ + 1 < end_ && p_[1] >= '0' && p_[1] <= '9')) {
        return number();
    }
    return symbol();
}

bool Reader::open(Tag kind, size_t skip) {
    size_t at = off(p_);
    if (frames_.size() >= limits_.max_depth) {
        core::Error e = depth_error(limits_);
        return fail(e.code.c_str(), e.message + " at " + where(at), e.hint);
    }
    if (!encoded(enc_.begin(kind))) return false;
    frames_.push_back(Frame{kind, at, item_pos_.size(), 0});
    p_ += skip;
    return true;
}

bool Reader::close() {
    size_t at = off(p_);
    char c = *p_;
    if (frames_.empty()) {
        return fail(core::sqlstate::invalid_text_representation,
                    "unexpected " + found(at) + " at " + where(at) + "; no collection is open");
    }
    const Frame f = frames_.back();
    if (f.kind == Tag::tagged) {
        return fail(core::sqlstate::invalid_text_representation, "expected a value after the tag at " +
                                                                     where(f.open) + ", found " + found(at) +
                                                                     " at " + where(at));
    }
    if (discard_pending()) {
        return fail(core::sqlstate::invalid_text_representation, "expected a value after the #_ at " +
                                                                     where(discards_.back().at) + ", found " +
                                                                     found(at) + " at " + where(at));
    }
    char want = closer_of(f.kind);
    if (c != want) {
        return fail(core::sqlstate::invalid_text_representation,
                    std::string("expected '") + want + "' to close the " + kind_name(f.kind) + " opened at " +
                        where(f.open) + ", found " + found(at) + " at " + where(at));
    }
    if (f.kind == Tag::map && f.items % 2 != 0) {
        return fail_at(core::sqlstate::invalid_text_representation,
                       "map literal must contain an even number of forms; the map opened", f.open,
                       "Every key needs a value.");
    }
    ++p_;
    frames_.pop_back();
    if (!enc_.end()) {
        error_ = enc_.error();
        long dup = enc_.duplicate_item();
        if (dup >= 0) error_.message += " at " + where(item_pos_[f.pos_begin + size_t(dup)]);
        return false;
    }
    item_pos_.resize(f.pos_begin);
    return value_done(f.open);
}

// A value starting at text offset start is complete: it satisfies the innermost #_ at
// this depth, or becomes an item of the open collection, or completes a tagged value.
bool Reader::value_done(size_t start) {
    for (;;) {
        size_t depth = frames_.size();
        if (!discards_.empty() && discards_.back().depth == depth) {
            enc_.discard(discards_.back().mark);
            discards_.pop_back();
            return true;
        }
        if (depth == 0) {
            top_done_ = true;
            return true;
        }
        Frame& f = frames_.back();
        if (f.kind == Tag::tagged) {
            start = f.open;
            frames_.pop_back();
            if (!encoded(enc_.end())) return false;
            continue;
        }
        ++f.items;
        if (f.kind == Tag::map || f.kind == Tag::set) item_pos_.push_back(start);
        return true;
    }
}

bool Reader::dispatch() {
    size_t at = off(p_);
    if (p_ + 1 == end_) {
        return fail_at(core::sqlstate::invalid_text_representation,
                       "expected a tag after '#', found end of input", at);
    }
    char c = p_[1];
    if (c == '{') return open(Tag::set, 2);
    if (c == '#') return symbolic_value();
    const char* tag_begin = p_ + 1;
    const char* tag_end = token_end(tag_begin);
    std::string_view tag(tag_begin, size_t(tag_end - tag_begin));
    if (tag == "inst" || tag == "uuid") {
        p_ = tag_end;
        return inst_or_uuid(tag == "inst", at);
    }
    if (!valid_tag(tag)) {
        return fail(core::sqlstate::invalid_text_representation,
                    "invalid tag " + shown(p_, tag_end) + " at " + where(at),
                    "A tag is a symbol starting with a letter, e.g. #my/thing; ## is only for ##Inf, ##-Inf "
                    "and ##NaN.");
    }
    if (frames_.size() >= limits_.max_depth) {
        core::Error e = depth_error(limits_);
        return fail(e.code.c_str(), e.message + " at " + where(at), e.hint);
    }
    if (!encoded(enc_.begin_tagged(tag))) return false;
    frames_.push_back(Frame{Tag::tagged, at, item_pos_.size(), 0});
    p_ = tag_end;
    return true;
}

}  // namespace detail

core::Result<std::string> read(std::string_view text, const Limits& limits) {
    // A plain pointer, so nothing runs at thread or process exit; the Reader is freed
    // instead of kept when a large document has grown its buffers.
    static thread_local detail::Reader* reader = nullptr;
    if (!reader) reader = new detail::Reader();
    core::Result<std::string> result = reader->run(text, limits);
    if (reader->retained() > (size_t(1) << 20)) {
        delete reader;
        reader = nullptr;
    }
    return result;
}

}  // namespace persistence::edn
