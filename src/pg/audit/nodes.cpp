// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"
#include <cstring>
#include <string>

#include "persistence/hash/merkle.hpp"

#include "pg/boundary.hpp"
#include "pg/audit/nodes.hpp"
#include "pg/audit/spi.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
}

namespace persistence::pg {

namespace {

const Oid int8_array[] = {INT8ARRAYOID};
const spi::Statement select_nodes = {
    "SELECT seq, entry_hash, subtree_roots FROM persistence.chain WHERE seq = ANY($1)", 1, int8_array};
const spi::Statement select_head = {"SELECT seq, entry_hash FROM persistence.chain ORDER BY seq DESC LIMIT 1", 0,
                                    nullptr};

int64 node_seq(const audit::NodeId& id) { return int64((id.index + 1) << id.level); }

// The backend's frontier of the chain (heap-allocated once: no static C++ object).
struct FrontierCache {
    audit::LogFrontier frontier;
    ChainHead head;
    Oid database = InvalidOid;
    bool valid = false;
};
FrontierCache* cache = nullptr;

}  // namespace

NodeMap fetch_nodes(const std::vector<audit::NodeId>& ids) {
    NodeMap result;
    if (ids.empty()) return result;
    std::vector<Datum> seqs;
    for (const auto& id : ids) seqs.push_back(Int64GetDatum(node_seq(id)));
    Datum arg = call_pg([&] {
        return PointerGetDatum(construct_array(seqs.data(), int(seqs.size()), INT8OID, 8, FLOAT8PASSBYVAL,
                                               TYPALIGN_DOUBLE));
    });
    uint64 n = spi::run(select_nodes, &arg, nullptr, 0);
    std::map<int64, std::pair<audit::Digest, std::string>> rows;
    for (uint64 r = 0; r < n; ++r) {
        auto entry = spi::get_digest(r, 2);
        if (!entry) continue;
        auto subtree = spi::get_bytes(r, 3);
        rows[spi::get_int8(r, 1)] = {*entry, subtree ? std::string(*subtree) : std::string()};
    }
    for (const auto& id : ids) {
        auto it = rows.find(node_seq(id));
        if (it == rows.end()) continue;
        if (id.level == 0) {
            result[id] = hash::merkle_leaf_hash(it->second.first.data(), 32);
        } else {
            const std::string& s = it->second.second;
            size_t at = 32 * size_t(id.level - 1);
            if (s.size() < at + 32) continue;
            audit::Digest d;
            std::memcpy(d.data(), s.data() + at, 32);
            result[id] = d;
        }
    }
    return result;
}

audit::NodeLookup node_lookup(const NodeMap& nodes) {
    return [&nodes](audit::NodeId id) -> audit::Digest {
        auto it = nodes.find(id);
        if (it == nodes.end())
            raise(core::Error("XX001",
                              "the audit chain is damaged: Merkle node (level " + std::to_string(id.level) +
                                  ", index " + std::to_string(id.index) + ") is missing",
                              "Run SELECT * FROM persistence.verify_chain() to find the first bad transaction."));
        return it->second;
    };
}

ChainHead chain_head() {
    ChainHead head;
    if (spi::run(select_head, nullptr, nullptr, 1) == 1) {
        head.size = spi::get_int8(0, 1);
        auto h = spi::get_digest(0, 2);
        if (h) head.last_hash = *h;
    }
    return head;
}

audit::LogFrontier& chain_frontier(const ChainHead& head) {
    if (cache == nullptr) cache = new FrontierCache();
    if (cache->valid && cache->database == MyDatabaseId && cache->head.size == head.size &&
        cache->head.last_hash == head.last_hash) {
        cache->valid = false;  // until chain_frontier_advanced: the caller may append
        return cache->frontier;
    }
    cache->valid = false;
    NodeMap nodes = fetch_nodes(audit::root_nodes(uint64_t(head.size)));
    cache->frontier = audit::LogFrontier::resume(uint64_t(head.size), node_lookup(nodes));
    cache->head = head;
    cache->database = MyDatabaseId;
    return cache->frontier;
}

void chain_frontier_advanced(const ChainHead& head) {
    if (cache == nullptr) return;
    cache->head = head;
    cache->valid = true;
}

}  // namespace persistence::pg
