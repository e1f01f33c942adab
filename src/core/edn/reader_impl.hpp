// The text reader's state, shared by reader.cpp (structure: collections, tags, #_,
// errors) and reader_scalars.cpp (numbers, strings, characters, symbols, #inst, #uuid).
// Private to src/core/edn.
//
// The reader is a loop over an explicit stack, not a recursive descent, so nesting costs
// no native stack; it writes straight into one Encoder without building a tree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "persistence/core/error.hpp"
#include "persistence/edn/encoder.hpp"

namespace persistence::edn::detail {

enum CharClass : uint8_t {
    whitespace = 1,  // space, tab, newline, return, comma
    delimiter = 2,   // whitespace, ( ) [ ] { } " ; (end of input too)
    blank = 4,       // whitespace that may not follow a character literal's backslash
};

struct CharClasses {
    uint8_t c[256] = {};
    constexpr CharClasses() {
        for (char w : {' ', '\t', '\n', '\r'}) c[uint8_t(w)] = whitespace | delimiter | blank;
        c[uint8_t(',')] = whitespace | delimiter;
        for (char d : {'(', ')', '[', ']', '{', '}', '"', ';'}) c[uint8_t(d)] = delimiter;
    }
};
inline constexpr CharClasses char_classes{};

class Reader {
 public:
    // One Reader is reused for every read() on a thread, so its buffers keep their
    // capacity and a small document costs no allocation but its result.
    core::Result<std::string> run(std::string_view text, const Limits& limits);
    // Bytes held by the buffers between runs.
    size_t retained() const;

 private:
    struct Frame {
        Tag kind;          // list, vector, map, set or tagged
        size_t open;       // offset of the opening bracket or '#'
        size_t pos_begin;  // index into item_pos_ of this frame's first item
        size_t items;      // items so far (discarded ones not counted)
    };
    struct Discard {
        Encoder::Mark mark;
        size_t depth;  // frames_.size() when #_ was read
        size_t at;
    };

    // reader.cpp
    bool check_bytes();
    void skip_space();
    bool value();
    bool dispatch();
    bool open(Tag kind, size_t skip);
    bool close();
    bool value_done(size_t start);
    bool discard_pending() const { return !discards_.empty() && discards_.back().depth == frames_.size(); }
    bool at_end_of_input();

    // reader_scalars.cpp
    bool number();
    bool string_value();
    bool read_string(std::string_view& out);
    bool unicode_escape(size_t at, uint32_t& cp);
    bool character();
    bool keyword();
    bool symbol();
    bool symbolic_value();
    bool inst_or_uuid(bool is_inst, size_t start);

    // Errors. Positions are byte offsets into text_, reported as line and column.
    size_t off(const char* p) const { return size_t(p - text_.data()); }
    const char* token_end(const char* p) const;
    std::string where(size_t at) const;
    std::string found(size_t at) const;                     // "end of input" or the character there, quoted
    std::string shown(const char* b, const char* e) const;  // a token, shortened
    bool fail(const char* code, std::string message, std::string hint = {});
    bool fail_at(const char* code, const std::string& what, size_t at, std::string hint = {}) {
        return fail(code, what + " at " + where(at), std::move(hint));
    }
    bool encoded(bool ok) {  // forwards an Encoder failure
        if (!ok) error_ = enc_.error();
        return ok;
    }

    static bool is_delim(char c) { return char_classes.c[uint8_t(c)] & delimiter; }
    static bool is_space(char c) { return char_classes.c[uint8_t(c)] & whitespace; }

    std::string_view text_;
    const char* p_ = nullptr;
    const char* end_ = nullptr;
    Limits limits_;
    Encoder enc_;
    std::vector<Frame> frames_;
    std::vector<size_t> item_pos_;  // text offsets of the items of open maps and sets
    std::vector<Discard> discards_;
    std::string scratch_;
    bool top_done_ = false;
    core::Error error_;
};

}  // namespace persistence::edn::detail
