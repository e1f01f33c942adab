// The Merkle log's stored nodes (audit/merkle_log.hpp): node (level, index) lives in the
// chain entry seq = (index + 1) << level; level 0 is the leaf hash of its entry_hash,
// level L >= 1 is bytes [32 (L - 1), 32 L) of its subtree_roots.
#pragma once

#include <map>
#include <vector>

#include "persistence/audit/merkle_log.hpp"

namespace persistence::pg {

using NodeMap = std::map<audit::NodeId, audit::Digest>;

// Fetches the given nodes in one query. A node whose entry is missing or malformed is
// left out (callers turn that into a 'log damaged' error or a verify problem).
NodeMap fetch_nodes(const std::vector<audit::NodeId>& ids);

// A NodeLookup over a NodeMap that raises XX001 (data corrupted) for a missing node.
audit::NodeLookup node_lookup(const NodeMap& nodes);

// The number of entries in the chain and the last entry's hash (zero digest if empty).
struct ChainHead {
    int64_t size = 0;
    audit::Digest last_hash{};
};
ChainHead chain_head();

// The frontier of the whole chain: kept per backend and rebuilt (O(log n) node reads)
// whenever the chain's head is not the one it was built for. Until the caller reports
// the head it left the frontier at (chain_frontier_advanced, also when it appended
// nothing), the cache counts as invalid: an error in between makes the next caller
// rebuild it.
audit::LogFrontier& chain_frontier(const ChainHead& head);
void chain_frontier_advanced(const ChainHead& head);

}  // namespace persistence::pg
