// Lock lists as the planner hands them to StateSource::lock(). Private to src/core/fact.
#pragma once

#include <vector>

#include "persistence/fact/planner.hpp"

namespace persistence::fact::detail {

// Sorts by key bytes and merges duplicates (exclusive wins over shared), so every lock()
// call takes its keys in one global order and two writers never wait in a cycle.
void normalize_locks(std::vector<LockRequest>& locks);

}  // namespace persistence::fact::detail
