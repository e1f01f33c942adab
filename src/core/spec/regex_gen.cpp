#include "persistence/spec/regex_gen.hpp"

#include <utility>
#include <vector>

#include "persistence/edn/utf8.hpp"

namespace persistence::spec {

struct RegexGenerator::Node {
    enum class T { empty, literal, cls, cat, alt, rep };
    T t = T::empty;
    uint32_t cp = 0;
    std::vector<std::pair<uint32_t, uint32_t>> ranges;  // cls: inclusive code point ranges
    bool negated = false;
    std::vector<std::unique_ptr<Node>> kids;
    int min = 0, max = 0;  // rep; max < 0: unbounded
};

namespace {

using Node = RegexGenerator::Node;
using NodePtr = std::unique_ptr<Node>;

constexpr int max_nesting = 100;
constexpr size_t max_output = 100000;  // code points of one candidate
constexpr int unbounded_extra = 4;
constexpr int bounded_extra = 8;

NodePtr make(Node::T t) {
    auto n = std::make_unique<Node>();
    n->t = t;
    return n;
}

NodePtr literal(uint32_t cp) {
    auto n = make(Node::T::literal);
    n->cp = cp;
    return n;
}

void add_perl_class(char c, Node& cls) {
    switch (c) {
        case 'd':
            cls.ranges.push_back({'0', '9'});
            break;
        case 'w':
            cls.ranges.push_back({'0', '9'});
            cls.ranges.push_back({'A', 'Z'});
            cls.ranges.push_back({'_', '_'});
            cls.ranges.push_back({'a', 'z'});
            break;
        case 's':
            cls.ranges.push_back({'\t', '\n'});
            cls.ranges.push_back({'\f', '\r'});
            cls.ranges.push_back({' ', ' '});
            break;
    }
}

class Parser {
   public:
    explicit Parser(std::string_view pattern) {
        const uint8_t* p = reinterpret_cast<const uint8_t*>(pattern.data());
        const uint8_t* end = p + pattern.size();
        while (p < end) {
            uint32_t cp;
            size_t len = edn::utf8::decode(p, end, cp);
            if (len == 0) {
                error = "invalid UTF-8";
                return;
            }
            cps_.push_back(cp);
            p += len;
        }
    }

    NodePtr parse() {
        if (!error.empty()) return nullptr;
        NodePtr n = alt();
        if (n && pos_ != cps_.size()) return fail("an unbalanced ')'");
        return n;
    }

    std::string error;

   private:
    bool eof() const { return pos_ >= cps_.size(); }
    uint32_t peek(size_t ahead = 0) const { return pos_ + ahead < cps_.size() ? cps_[pos_ + ahead] : 0; }
    NodePtr fail(const std::string& what) {
        if (error.empty()) error = what;
        return nullptr;
    }

    NodePtr alt() {
        auto n = make(Node::T::alt);
        for (;;) {
            NodePtr c = concat();
            if (!c) return nullptr;
            n->kids.push_back(std::move(c));
            if (eof() || peek() != '|') break;
            ++pos_;
        }
        if (n->kids.size() == 1) return std::move(n->kids[0]);
        return n;
    }

    NodePtr concat() {
        auto n = make(Node::T::cat);
        while (!eof() && peek() != '|' && peek() != ')') {
            NodePtr r = repeat();
            if (!r) return nullptr;
            n->kids.push_back(std::move(r));
        }
        return n;
    }

    // {m}, {m,}, {m,n}; false (position unchanged) when the brace is a literal, as in RE2.
    bool counted(int& min, int& max) {
        size_t save = pos_;
        auto number = [&](int& out) {
            size_t start = pos_;
            long v = 0;
            while (!eof() && peek() >= '0' && peek() <= '9') {
                v = v * 10 + long(peek() - '0');
                if (v > 100000) v = 100000;
                ++pos_;
            }
            out = int(v);
            return pos_ > start;
        };
        ++pos_;  // {
        if (!number(min)) {
            pos_ = save;
            return false;
        }
        max = min;
        if (!eof() && peek() == ',') {
            ++pos_;
            if (!number(max)) max = -1;
        }
        if (eof() || peek() != '}') {
            pos_ = save;
            return false;
        }
        ++pos_;
        return true;
    }

    NodePtr repeat() {
        NodePtr a = atom();
        if (!a) return nullptr;
        for (;;) {
            int min, max;
            uint32_t c = peek();
            if (eof()) break;
            if (c == '*' || c == '+' || c == '?') {
                ++pos_;
                min = c == '+' ? 1 : 0;
                max = c == '?' ? 1 : -1;
            } else if (c == '{') {
                if (!counted(min, max)) break;
            } else {
                break;
            }
            if (!eof() && peek() == '?') ++pos_;  // lazy: same strings
            auto r = make(Node::T::rep);
            r->min = min;
            r->max = max;
            r->kids.push_back(std::move(a));
            a = std::move(r);
        }
        return a;
    }

    NodePtr group() {
        ++pos_;  // (
        if (peek() == '?') {
            if (peek(1) == ':') {
                pos_ += 2;
            } else if (peek(1) == 'P' && peek(2) == '<') {
                pos_ += 3;
                while (!eof() && peek() != '>') ++pos_;
                ++pos_;
            } else if (peek(1) == '<') {
                pos_ += 2;
                while (!eof() && peek() != '>') ++pos_;
                ++pos_;
            } else {
                // Flags, (?i) or (?i:...): ignored here; RE2 checks every candidate.
                size_t at = pos_ + 1;
                while (at < cps_.size() && cps_[at] != ')' && cps_[at] != ':') ++at;
                if (at >= cps_.size()) return fail("an unclosed group");
                bool alone = cps_[at] == ')';
                pos_ = at + 1;
                if (alone) return make(Node::T::empty);
            }
        }
        if (++depth_ > max_nesting) return fail("groups nested deeper than " + std::to_string(max_nesting));
        NodePtr inner = alt();
        --depth_;
        if (!inner) return nullptr;
        if (eof() || peek() != ')') return fail("an unclosed group");
        ++pos_;
        return inner;
    }

    bool hex_escape(uint32_t& cp) {
        // After \x: HH or {H...}.
        auto digit = [](uint32_t c) -> int {
            if (c >= '0' && c <= '9') return int(c - '0');
            if (c >= 'a' && c <= 'f') return int(c - 'a' + 10);
            if (c >= 'A' && c <= 'F') return int(c - 'A' + 10);
            return -1;
        };
        cp = 0;
        if (peek() == '{') {
            ++pos_;
            int n = 0;
            while (!eof() && peek() != '}') {
                int d = digit(peek());
                if (d < 0 || ++n > 6) return false;
                cp = cp * 16 + uint32_t(d);
                ++pos_;
            }
            if (eof() || n == 0) return false;
            ++pos_;
        } else {
            int hi = digit(peek()), lo = digit(peek(1));
            if (hi < 0 || lo < 0) return false;
            cp = uint32_t(hi * 16 + lo);
            pos_ += 2;
        }
        return edn::utf8::is_scalar(cp);
    }

    // An escape that stands for one code point (after the backslash); false otherwise.
    bool escaped_literal(uint32_t c, uint32_t& cp) {
        switch (c) {
            case 'n':
                cp = '\n';
                return true;
            case 't':
                cp = '\t';
                return true;
            case 'r':
                cp = '\r';
                return true;
            case 'f':
                cp = '\f';
                return true;
            case 'v':
                cp = '\v';
                return true;
            case 'a':
                cp = 7;
                return true;
            default:
                break;
        }
        bool punct =
            c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
        if (!punct) return false;
        cp = c;
        return true;
    }

    NodePtr escape() {
        ++pos_;  // backslash
        if (eof()) return fail("a trailing backslash");
        uint32_t c = peek();
        ++pos_;
        if (c == 'd' || c == 'w' || c == 's' || c == 'D' || c == 'W' || c == 'S') {
            auto n = make(Node::T::cls);
            add_perl_class(char(c | 0x20), *n);
            n->negated = c < 'a';
            return n;
        }
        // Assertions match no character; RE2 rejects a candidate where they do not hold.
        if (c == 'A' || c == 'z' || c == 'b' || c == 'B') return make(Node::T::empty);
        if (c == 'x') {
            uint32_t cp;
            if (!hex_escape(cp)) return fail("a malformed \\x escape");
            return literal(cp);
        }
        uint32_t cp;
        if (escaped_literal(c, cp)) return literal(cp);
        std::string name(1, char(c < 0x80 ? c : '?'));
        return fail("the escape \\" + name);
    }

    NodePtr cls() {
        ++pos_;  // [
        auto n = make(Node::T::cls);
        if (peek() == '^') {
            n->negated = true;
            ++pos_;
        }
        bool first = true;
        for (;;) {
            if (eof()) return fail("an unclosed class");
            uint32_t c = peek();
            if (c == ']' && !first) {
                ++pos_;
                break;
            }
            first = false;
            if (c == '[' && peek(1) == ':') {
                if (!posix_class(*n)) return nullptr;
                continue;
            }
            uint32_t lo;
            if (!class_char(lo, n.get())) {
                if (!error.empty()) return nullptr;
                continue;  // a Perl class was added
            }
            uint32_t hi = lo;
            if (peek() == '-' && peek(1) != ']' && pos_ + 1 < cps_.size()) {
                ++pos_;
                if (!class_char(hi, nullptr)) return fail("a class range ending in a class");
            }
            if (hi < lo) return fail("an inverted class range");
            n->ranges.push_back({lo, hi});
        }
        return n;
    }

    // [:name:] inside a class (ASCII, as RE2 defines them); [:^name:] is outside the subset.
    bool posix_class(Node& cls) {
        size_t end = pos_ + 2;
        std::string name;
        while (end < cps_.size() && cps_[end] != ':' && name.size() < 10) name += char(cps_[end++] & 0x7F);
        if (end + 1 >= cps_.size() || cps_[end] != ':' || cps_[end + 1] != ']') {
            fail("a malformed POSIX class");
            return false;
        }
        static const struct {
            const char* name;
            const char* ranges;  // pairs of inclusive bounds
        } table[] = {
            {"alpha", "AZaz"},     {"digit", "09"},     {"alnum", "09AZaz"},  {"upper", "AZ"},
            {"lower", "az"},       {"space", "\t\r  "}, {"xdigit", "09AFaf"}, {"word", "09AZ__az"},
            {"punct", "!/:@[`{~"}, {"blank", "\t\t  "},
        };
        for (const auto& t : table) {
            if (name != t.name) continue;
            for (const char* r = t.ranges; r[0] && r[1]; r += 2)
                cls.ranges.push_back({uint8_t(r[0]), uint8_t(r[1])});
            pos_ = end + 2;
            return true;
        }
        fail("the POSIX class [:" + name + ":]");
        return false;
    }

    // One class item: a code point (true), or a Perl class added to cls (false).
    bool class_char(uint32_t& cp, Node* cls) {
        uint32_t c = peek();
        ++pos_;
        if (c != '\\') {
            cp = c;
            return true;
        }
        if (eof()) {
            fail("a trailing backslash");
            return false;
        }
        uint32_t e = peek();
        ++pos_;
        if ((e == 'd' || e == 'w' || e == 's') && cls) {
            add_perl_class(char(e), *cls);
            return false;
        }
        if (e == 'x') {
            if (hex_escape(cp)) return true;
            fail("a malformed \\x escape");
            return false;
        }
        if (escaped_literal(e, cp)) return true;
        std::string name(1, char(e < 0x80 ? e : '?'));
        fail("the escape \\" + name + " in a class");
        return false;
    }

    NodePtr atom() {
        uint32_t c = peek();
        switch (c) {
            case '(':
                return group();
            case '[':
                return cls();
            case '\\':
                return escape();
            case '^':
            case '$':
                ++pos_;
                return make(Node::T::empty);
            case '.': {
                ++pos_;
                auto n = make(Node::T::cls);
                n->ranges.push_back({' ', '~'});
                return n;
            }
            case '*':
            case '+':
            case '?':
                return fail("a quantifier with nothing to repeat");
            default:
                ++pos_;
                return literal(c);
        }
    }

    std::vector<uint32_t> cps_;
    size_t pos_ = 0;
    int depth_ = 0;
};

bool in_class(const Node& n, uint32_t cp) {
    for (auto& r : n.ranges)
        if (cp >= r.first && cp <= r.second) return true;
    return false;
}

bool draw_class(const Node& n, Rng& rng, uint32_t& cp) {
    cp = 0;
    if (!n.negated) {
        uint64_t total = 0;
        for (auto& r : n.ranges) total += uint64_t(r.second - r.first) + 1;
        if (total == 0) return false;
        for (int attempt = 0; attempt < 8; ++attempt) {
            uint64_t k = rng.below(total);
            for (auto& r : n.ranges) {
                uint64_t size = uint64_t(r.second - r.first) + 1;
                if (k < size) {
                    cp = r.first + uint32_t(k);
                    break;
                }
                k -= size;
            }
            if (edn::utf8::is_scalar(cp)) return true;
        }
        return false;
    }
    for (int attempt = 0; attempt < 16; ++attempt) {
        cp = uint32_t(rng.between(' ', '~'));
        if (!in_class(n, cp)) return true;
    }
    static constexpr uint32_t others[] = {'a', '0', ' ', 0xE9, 0x4E2D, 0x1F600};
    for (uint32_t c = ' '; c <= '~'; ++c)
        if (!in_class(n, c)) {
            cp = c;
            return true;
        }
    for (uint32_t c : others)
        if (!in_class(n, c)) {
            cp = c;
            return true;
        }
    return false;
}

bool emit(const Node& n, Rng& rng, std::string& out, size_t& length) {
    if (length > max_output) return false;
    switch (n.t) {
        case Node::T::empty:
            return true;
        case Node::T::literal:
            edn::utf8::append(n.cp, out);
            ++length;
            return true;
        case Node::T::cls: {
            uint32_t cp;
            if (!draw_class(n, rng, cp)) return false;
            edn::utf8::append(cp, out);
            ++length;
            return true;
        }
        case Node::T::cat:
            for (auto& k : n.kids)
                if (!emit(*k, rng, out, length)) return false;
            return true;
        case Node::T::alt:
            return emit(*n.kids[rng.below(n.kids.size())], rng, out, length);
        case Node::T::rep: {
            int hi = n.max < 0 ? n.min + unbounded_extra : n.max;
            if (hi - n.min > bounded_extra) hi = n.min + bounded_extra;
            int64_t times = rng.between(n.min, hi);
            for (int64_t i = 0; i < times; ++i)
                if (!emit(*n.kids[0], rng, out, length)) return false;
            return true;
        }
    }
    return false;
}

}  // namespace

RegexGenerator::RegexGenerator(std::unique_ptr<Node> root) : root_(std::move(root)) {}
RegexGenerator::~RegexGenerator() = default;

core::Result<std::shared_ptr<const RegexGenerator>> RegexGenerator::compile(std::string_view pattern) {
    Parser p(pattern);
    NodePtr root = p.parse();
    if (!root)
        return core::Error("0A000", "regular expression uses " + p.error + ", outside the generator's subset",
                           "docs/spec.md, \"generate\", lists the supported syntax.");
    return std::shared_ptr<const RegexGenerator>(std::make_shared<RegexGenerator>(std::move(root)));
}

bool RegexGenerator::generate(Rng& rng, std::string& out) const {
    out.clear();
    size_t length = 0;
    return emit(*root_, rng, out, length);
}

}  // namespace persistence::spec
