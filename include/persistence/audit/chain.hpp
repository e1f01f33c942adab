// The sealed audit chain (DESIGN.md §6, docs/audit.md): one entry per committed
// transaction, in the order the sealer observed the commits. Each entry links to the one
// before it (prev_hash, a hash chain over every branch) and to the previous entry of its
// own branch lineage (branch_prev: for a branch's first entry, the entry of its parent's
// fork transaction), so every branch's history is verifiable back to genesis.
//
// Entry metadata, canonical bytes version 1 (docs/audit.md; never changes without a new
// version byte). Integers big-endian:
//   u8  0x01            format version
//   i64 seq             position in the chain, 1-based
//   i64 tx              the transaction id
//   i32 branch_id
//   i64 tx_time         µs since the Unix epoch, UTC
//   u32 datom_count
//   32  branch_prev     entry_hash of the previous entry of this branch's lineage
//                       (zero bytes: none, the lineage starts at genesis)
// entry_hash = SHA-256(prev_hash ‖ metadata bytes ‖ merkle_root), prev_hash of entry 1 =
// 32 zero bytes.
//
// The entries are also the leaves of an RFC 6962 Merkle log (audit/merkle_log.hpp): the
// leaf data of entry seq is its 32-byte entry_hash, at leaf index seq - 1.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <string>

#include "persistence/hash/sha256.hpp"

namespace persistence::audit {

using hash::Digest;

inline constexpr uint8_t entry_format_version = 1;
inline constexpr Digest zero_digest{};

struct EntryMeta {
    int64_t seq = 0;
    int64_t tx = 0;
    int32_t branch_id = 0;
    int64_t tx_time = 0;  // µs since the Unix epoch
    uint32_t datom_count = 0;
    Digest branch_prev{};
};

// Appends the canonical metadata bytes (33 + 32 = 65 bytes) to out.
void entry_meta_bytes(const EntryMeta& meta, std::string& out);

// SHA-256(prev_hash ‖ entry_meta_bytes(meta) ‖ merkle_root).
Digest entry_hash(const Digest& prev_hash, const EntryMeta& meta, const Digest& merkle_root);

}  // namespace persistence::audit
