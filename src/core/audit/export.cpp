#include "persistence/audit/export.hpp"

#include <algorithm>
#include <cstdint>
#include <istream>
#include <utility>

#include "bytes.hpp"

namespace persistence::audit {

namespace {

void put_int(std::string& out, int64_t v) {
    out.push_back(' ');
    out += std::to_string(v);
}

void put_hex(std::string& out, const void* data, size_t n) {
    out.push_back(' ');
    bytes::append_hex(out, data, n);
}

template <size_t N>
void put_hex(std::string& out, const std::array<uint8_t, N>& a) {
    put_hex(out, a.data(), N);
}

// Hex of a possibly empty byte string; "-" for an empty one, since an empty field cannot
// be told apart from a doubled separator by eye.
void put_hex_or_dash(std::string& out, std::string_view b) {
    if (b.empty()) {
        out += " -";
        return;
    }
    put_hex(out, b.data(), b.size());
}

// Strict decimal: an optional '-', no '+', no leading zeros, no "-0", within int64.
bool parse_int(std::string_view s, int64_t& out) {
    bool neg = !s.empty() && s[0] == '-';
    std::string_view digits = neg ? s.substr(1) : s;
    if (digits.empty() || digits.size() > 19) return false;
    if (digits[0] == '0' && (digits.size() > 1 || neg)) return false;
    uint64_t v = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + uint64_t(c - '0');
    }
    const uint64_t limit = neg ? uint64_t(INT64_MAX) + 1 : uint64_t(INT64_MAX);
    if (v > limit) return false;
    out = neg ? int64_t(0 - v) : int64_t(v);
    return true;
}

}  // namespace

void export_header_line(std::string& out) {
    out += export_header;
    out.push_back('\n');
}

void export_log_line(const LogId& log_id, std::string& out) {
    out += "log";
    put_hex(out, log_id);
    out.push_back('\n');
}

void export_key_line(const KeyRow& key, std::string& out) {
    out += "key";
    put_hex(out, key.key_id);
    put_hex(out, key.public_key);
    out.push_back('\n');
}

void export_branch_line(const BranchRow& branch, std::string& out) {
    out += "branch";
    put_int(out, branch.id);
    put_int(out, branch.parent_id);
    put_int(out, branch.fork_tx);
    out.push_back('\n');
}

void export_checkpoint_line(const CheckpointRow& row, std::string& out) {
    const Checkpoint& c = row.checkpoint;
    out += "checkpoint";
    put_int(out, c.size);
    put_hex(out, c.root);
    put_hex(out, c.prev_hash);
    put_int(out, c.time);
    put_hex(out, c.key_id);
    put_hex(out, row.signature);
    out.push_back('\n');
}

void export_entry_line(const EntryRow& e, std::string& out) {
    out += "entry";
    put_int(out, e.seq);
    put_int(out, e.tx);
    put_int(out, e.branch_id);
    put_hex(out, e.prev_hash);
    put_hex(out, e.merkle_root);
    put_hex(out, e.entry_hash);
    put_hex(out, e.branch_prev);
    put_hex_or_dash(out, e.subtree_roots);
    out.push_back('\n');
}

void export_tx_line(const TxRow& t, std::string& out) {
    out += "tx";
    put_int(out, t.tx);
    put_int(out, t.branch_id);
    put_int(out, t.tx_time);
    put_int(out, int64_t(t.datom_count));
    put_hex(out, t.merkle_root);
    out.push_back('\n');
}

void export_datom_line(const DatomRow& d, std::string& out) {
    out += "datom";
    put_int(out, d.tx);
    put_hex(out, d.e.data(), d.e.size());
    put_hex(out, d.a.data(), d.a.size());
    put_hex(out, d.value_hash);
    put_int(out, d.valid_from);
    if (d.valid_to == datom::open_end)
        out += " -";
    else
        put_int(out, d.valid_to);
    out += d.is_assert ? " 1" : " 0";
    put_hex(out, d.stored_hash);
    out.push_back('\n');
}

void export_value_line(const Digest& hash, std::optional<std::string_view> canonical_bytes,
                       std::string& out) {
    out += "value";
    put_hex(out, hash);
    if (canonical_bytes)
        put_hex(out, canonical_bytes->data(), canonical_bytes->size());
    else
        out += " -";
    out.push_back('\n');
}

void export_pending_line(int64_t tx, std::string& out) {
    out += "pending";
    put_int(out, tx);
    out.push_back('\n');
}

EntryRow ExportData::entry(size_t i) const {
    EntryRow r = entries_[i].row;
    r.subtree_roots = view(entries_[i].roots);
    return r;
}

DatomRow ExportData::datom(size_t i) const {
    DatomRow r = datoms_[i].row;
    r.e = view(datoms_[i].e);
    r.a = view(datoms_[i].a);
    return r;
}

std::optional<std::string_view> ExportData::value_bytes(size_t i) const {
    if (values_[i].erased) return std::nullopt;
    return view(values_[i].bytes);
}

// Reads one line at a time into an ExportData; every error names its line.
class ExportParser {
 public:
    explicit ExportParser(ExportData& d) : d_(d) {}

    core::Status line(std::string_view text, uint64_t number) {
        line_ = number;
        if (text.empty()) return bad("empty line");
        if (text.back() == '\r')
            return bad("line ends with \\r (CRLF line endings); the export uses \\n only");
        nf_ = 0;
        for (size_t at = 0;;) {
            size_t sp = text.find(' ', at);
            if (nf_ == max_fields) return bad("too many fields");
            f_[nf_++] = text.substr(at, sp == std::string_view::npos ? std::string_view::npos : sp - at);
            if (sp == std::string_view::npos) break;
            at = sp + 1;
        }
        std::string_view kind = f_[0];
        if (kind == "entry") return entry();
        if (kind == "datom") return datom();
        if (kind == "tx") return tx();
        if (kind == "value") return value();
        if (kind == "checkpoint") return checkpoint();
        if (kind == "pending") return pending();
        if (kind == "branch") return branch();
        if (kind == "key") return key();
        if (kind == "log") return log();
        if (kind == export_header.substr(0, export_header.find(' '))) return bad("a second header line");
        return bad("unknown record \"" + printable(kind) + "\"");
    }

    // Whole-file rules: a log line, no duplicates of what the tables keep unique.
    core::Status finish() {
        line_ = 0;
        if (!have_log_)
            return core::Error(core::sqlstate::invalid_text_representation, "export has no \"log\" line",
                               hint());
        for (CheckpointRow& c : d_.checkpoints) c.checkpoint.log_id = d_.log_id;
        if (auto s = unique(key_ids_, "key id"); !s) return s;
        if (auto s = unique(branch_ids_, "branch"); !s) return s;
        if (auto s = unique(tx_ids_, "tx"); !s) return s;
        if (auto s = unique(value_hashes_, "value hash"); !s) return s;
        return unique(pending_ids_, "pending tx");
    }

 private:
    static constexpr size_t max_fields = 10;

    static std::string hint() {
        return "export_chain() writes one record a line: a record name, then its fields separated by single "
               "spaces, binary and text fields in lower-case hex, - for NULL (docs/audit.md).";
    }
    core::Error bad(const std::string& what) const {
        return core::Error(core::sqlstate::invalid_text_representation,
                           "export line " + std::to_string(line_) + ": " + what, hint());
    }
    static std::string printable(std::string_view s) {
        std::string out;
        for (char c : s.substr(0, 32)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
        return out;
    }
    core::Status arity(size_t n) const {
        if (nf_ == n) return {};
        return bad("a \"" + std::string(f_[0]) + "\" line has " + std::to_string(n - 1) +
                   " fields, this one has " + std::to_string(nf_ - 1));
    }
    bool get(size_t i, int64_t& v) const { return parse_int(f_[i], v); }
    template <size_t N>
    bool get(size_t i, std::array<uint8_t, N>& v) const {
        return bytes::decode_hex(f_[i], v.data(), N);
    }
    bool get(size_t i, int32_t& v) const {
        int64_t w;
        if (!parse_int(f_[i], w) || w < INT32_MIN || w > INT32_MAX) return false;
        v = int32_t(w);
        return true;
    }
    // Hex bytes into the shared buffer.
    bool get(size_t i, ExportData::Span& s) const {
        s.at = d_.text_.size();
        s.size = f_[i].size() / 2;
        return bytes::decode_hex_append(f_[i], d_.text_);
    }
    core::Status field(const char* name) const { return bad("field " + std::string(name) + " is malformed"); }

    core::Status log() {
        if (auto s = arity(2); !s) return s;
        if (have_log_)
            return bad("a second \"log\" line (the first is on line " + std::to_string(log_line_) + ")");
        if (!get(1, d_.log_id)) return field("log_id (32 hex digits)");
        have_log_ = true;
        log_line_ = line_;
        return {};
    }
    core::Status key() {
        if (auto s = arity(3); !s) return s;
        KeyRow k;
        if (!get(1, k.key_id)) return field("key_id (64 hex digits)");
        if (!get(2, k.public_key)) return field("public key (64 hex digits)");
        key_ids_.push_back({k.key_id, line_});
        d_.keys.push_back(k);
        return {};
    }
    core::Status branch() {
        if (auto s = arity(4); !s) return s;
        BranchRow b;
        if (!get(1, b.id)) return field("id");
        if (!get(2, b.parent_id)) return field("parent_id");
        if (!get(3, b.fork_tx)) return field("fork_tx");
        branch_ids_.push_back({b.id, line_});
        d_.branches.push_back(b);
        return {};
    }
    core::Status checkpoint() {
        if (auto s = arity(7); !s) return s;
        CheckpointRow r;
        Checkpoint& c = r.checkpoint;
        if (!get(1, c.size) || c.size < 0) return field("size");
        if (!get(2, c.root)) return field("root");
        if (!get(3, c.prev_hash)) return field("prev_hash");
        if (!get(4, c.time)) return field("time");
        if (!get(5, c.key_id)) return field("key_id");
        if (!get(6, r.signature)) return field("signature (128 hex digits)");
        d_.checkpoints.push_back(r);
        return {};
    }
    core::Status entry() {
        if (auto s = arity(9); !s) return s;
        ExportData::Entry e;
        EntryRow& r = e.row;
        if (!get(1, r.seq)) return field("seq");
        if (!get(2, r.tx)) return field("tx");
        if (!get(3, r.branch_id)) return field("branch_id");
        if (!get(4, r.prev_hash)) return field("prev_hash");
        if (!get(5, r.merkle_root)) return field("merkle_root");
        if (!get(6, r.entry_hash)) return field("entry_hash");
        if (!get(7, r.branch_prev)) return field("branch_prev");
        if (f_[8] != "-" && !get(8, e.roots)) return field("subtree_roots");
        d_.entries_.push_back(e);
        return {};
    }
    core::Status tx() {
        if (auto s = arity(6); !s) return s;
        TxRow t;
        int64_t count;
        if (!get(1, t.tx)) return field("tx");
        if (!get(2, t.branch_id)) return field("branch_id");
        if (!get(3, t.tx_time)) return field("tx_time");
        if (!get(4, count) || count < 0 || count > int64_t(UINT32_MAX)) return field("datom_count");
        if (!get(5, t.merkle_root)) return field("merkle_root");
        t.datom_count = uint32_t(count);
        tx_ids_.push_back({t.tx, line_});
        d_.txs.push_back(t);
        return {};
    }
    core::Status datom() {
        if (auto s = arity(9); !s) return s;
        ExportData::Datom d;
        DatomRow& r = d.row;
        if (!get(1, r.tx)) return field("tx");
        if (!get(2, d.e)) return field("e");
        if (!get(3, d.a)) return field("a");
        if (!get(4, r.value_hash)) return field("value_hash");
        if (!get(5, r.valid_from)) return field("valid_from");
        if (f_[6] == "-")
            r.valid_to = datom::open_end;
        else if (!get(6, r.valid_to))
            return field("valid_to");
        if (f_[7] != "0" && f_[7] != "1") return field("op (1 assert, 0 retract)");
        r.is_assert = f_[7] == "1";
        if (!get(8, r.stored_hash)) return field("hash");
        d_.datoms_.push_back(d);
        return {};
    }
    core::Status value() {
        if (auto s = arity(3); !s) return s;
        ExportData::Value v;
        if (!get(1, v.hash)) return field("hash");
        if (f_[2] == "-")
            v.erased = true;
        else if (!get(2, v.bytes))
            return field("canonical bytes");
        value_hashes_.push_back({v.hash, line_});
        d_.values_.push_back(v);
        return {};
    }
    core::Status pending() {
        if (auto s = arity(2); !s) return s;
        int64_t t;
        if (!get(1, t)) return field("tx");
        pending_ids_.push_back({t, line_});
        d_.pending.push_back(t);
        return {};
    }

    template <typename K>
    using Keyed = std::vector<std::pair<K, uint64_t>>;  // (key, line)
    static std::string text(int64_t k) { return std::to_string(k); }
    static std::string text(const Digest& k) { return hash::to_hex(k); }
    template <typename K>
    core::Status unique(Keyed<K>& seen, const char* what) {
        std::sort(seen.begin(), seen.end());
        for (size_t i = 1; i < seen.size(); ++i) {
            if (seen[i].first != seen[i - 1].first) continue;
            line_ = seen[i].second;
            return bad(std::string("duplicate ") + what + " " + text(seen[i].first) + " (first on line " +
                       std::to_string(seen[i - 1].second) + ")");
        }
        return {};
    }

    ExportData& d_;
    uint64_t line_ = 0;
    std::string_view f_[max_fields];
    size_t nf_ = 0;
    bool have_log_ = false;
    uint64_t log_line_ = 0;
    Keyed<Digest> key_ids_, value_hashes_;
    Keyed<int64_t> branch_ids_, tx_ids_, pending_ids_;
};

core::Result<ExportData> parse_export(std::istream& in) {
    ExportData data;
    ExportParser parser(data);
    std::string line;
    if (!std::getline(in, line))
        return core::Error(core::sqlstate::invalid_text_representation,
                           "export line 1: empty export, no header",
                           "The first line of an export is \"persistence-export 1\".");
    if (line != export_header)
        return core::Error(core::sqlstate::invalid_text_representation,
                           "export line 1: not a persistence export of version 1",
                           "The first line of an export is \"persistence-export 1\"; write the file with "
                           "persistence.export_chain().");
    for (uint64_t number = 2; std::getline(in, line); ++number) {
        if (auto s = parser.line(line, number); !s) return s.error();
    }
    if (auto s = parser.finish(); !s) return s.error();
    return data;
}

void write_export(const ExportData& d, std::string& out) {
    export_header_line(out);
    export_log_line(d.log_id, out);
    for (const KeyRow& k : d.keys) export_key_line(k, out);
    for (const BranchRow& b : d.branches) export_branch_line(b, out);
    for (const CheckpointRow& c : d.checkpoints) export_checkpoint_line(c, out);
    for (size_t i = 0; i < d.entry_count(); ++i) export_entry_line(d.entry(i), out);
    for (const TxRow& t : d.txs) export_tx_line(t, out);
    for (size_t i = 0; i < d.datom_count(); ++i) export_datom_line(d.datom(i), out);
    for (size_t i = 0; i < d.value_count(); ++i) export_value_line(d.value_hash(i), d.value_bytes(i), out);
    for (int64_t t : d.pending) export_pending_line(t, out);
}

}  // namespace persistence::audit
