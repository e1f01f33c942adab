// The chain's text export (persistence.export_chain()) and its offline verification (the
// persistence-verify command), with the same core code as persistence.verify_chain().
//
// One record a line, fields separated by single spaces. Every binary and text field is
// lower-case hex, so nothing needs escaping; "-" stands for NULL. After the header the
// lines may come in any order (docs/audit.md):
//   persistence-export 1
//   log <log_id, 32 hex>
//   key <key_id, 64 hex> <public key, 64 hex>
//   branch <id> <parent_id or 0> <fork_tx or 0>
//   checkpoint <size> <root> <prev_hash> <time µs> <key_id> <signature, 128 hex>
//   entry <seq> <tx> <branch_id> <prev_hash> <merkle_root> <entry_hash> <branch_prev> <subtree_roots or ->
//   tx <tx> <branch_id> <tx_time µs> <datom_count> <merkle_root>
//   datom <tx> <e hex> <a hex> <value_hash> <valid_from µs> <valid_to µs or -> <1 assert|0 retract> <hash>
//   value <hash> <canonical EDN bytes hex, or - when erased>
//   pending <tx>                 committed, waiting to be sealed
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/audit/verify.hpp"
#include "persistence/core/error.hpp"

namespace persistence::audit {

namespace reasons {
// verify_export with a trusted key.
inline constexpr std::string_view trusted_key_swapped =
    "signing key swapped: the newest checkpoint is not signed by the trusted key";
inline constexpr std::string_view no_checkpoint_for_key = "no checkpoint to check the trusted key against";
}  // namespace reasons

inline constexpr std::string_view export_header = "persistence-export 1";

// Writers for export_chain(): each appends one line, '\n' included.
void export_header_line(std::string& out);
void export_log_line(const LogId& log_id, std::string& out);
void export_key_line(const KeyRow& key, std::string& out);
void export_branch_line(const BranchRow& branch, std::string& out);
void export_checkpoint_line(const CheckpointRow& checkpoint, std::string& out);
void export_entry_line(const EntryRow& entry, std::string& out);
void export_tx_line(const TxRow& tx, std::string& out);
void export_datom_line(const DatomRow& datom, std::string& out);
// canonical_bytes: nullopt when the payload was erased.
void export_value_line(const Digest& hash, std::optional<std::string_view> canonical_bytes, std::string& out);
void export_pending_line(int64_t tx, std::string& out);

// A parsed export. The rows' variable-length fields live in one buffer; entry() and
// datom() return views into it, valid while the ExportData lives and is not modified.
class ExportData {
   public:
    LogId log_id{};
    std::vector<KeyRow> keys;
    std::vector<BranchRow> branches;
    std::vector<CheckpointRow> checkpoints;
    std::vector<TxRow> txs;
    std::vector<int64_t> pending;

    size_t entry_count() const { return entries_.size(); }
    EntryRow entry(size_t i) const;
    int64_t entry_seq(size_t i) const { return entries_[i].row.seq; }
    size_t datom_count() const { return datoms_.size(); }
    DatomRow datom(size_t i) const;
    int64_t datom_tx(size_t i) const { return datoms_[i].row.tx; }
    size_t value_count() const { return values_.size(); }
    const Digest& value_hash(size_t i) const { return values_[i].hash; }
    // nullopt: erased.
    std::optional<std::string_view> value_bytes(size_t i) const;

   private:
    friend class ExportParser;
    struct Span {
        size_t at = 0, size = 0;
    };
    struct Entry {
        EntryRow row;  // subtree_roots filled in by entry()
        Span roots;
    };
    struct Datom {
        DatomRow row;  // e and a filled in by datom()
        Span e, a;
    };
    struct Value {
        Digest hash{};
        bool erased = false;
        Span bytes;
    };
    std::string_view view(Span s) const { return std::string_view(text_).substr(s.at, s.size); }

    std::vector<Entry> entries_;
    std::vector<Datom> datoms_;
    std::vector<Value> values_;
    std::string text_;
};

// Errors are 22P02 and name the line ("export line 7: ..."): a malformed line, an
// unknown record, a duplicate of a record that is unique in the tables (log, key id,
// branch id, tx, value hash, pending tx), a missing header or log line.
core::Result<ExportData> parse_export(std::istream& in);

// Writes an export back in canonical order (header, log, keys, branches, checkpoints,
// entries, transactions, datoms, values, pending), each group in the order parsed.
void write_export(const ExportData& data, std::string& out);

struct VerifyReport {
    bool ok = true;
    uint64_t checked = 0;  // entries verified before the first problem
    int64_t first_bad_tx = 0;
    std::string reason;
};

// Pass 1 over the transactions and their datoms, the value payloads (a payload that does
// not match its hash makes every transaction that references it bad), pass 2 over the
// entries in seq order, then ChainWalk::finish() with the transactions neither sealed nor
// pending. With a trusted key, the newest checkpoint must also be signed by it.
VerifyReport verify_export_data(const ExportData& data, const std::optional<PublicKey>& trusted_key);
core::Result<VerifyReport> verify_export(std::istream& in, const std::optional<PublicKey>& trusted_key);

// 64 hex digits (either case) to a public key; nullopt if malformed.
std::optional<PublicKey> parse_public_key_hex(std::string_view hex);

}  // namespace persistence::audit
