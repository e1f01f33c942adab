// Branch names → ids (persistence.branches).
#pragma once

#include "pg/pg_headers.hpp"

namespace persistence::pg {

// The id of a branch by name, with the caller's snapshot; 42704 if there is none.
// Plain PostgreSQL code.
int32 branch_id(text* name);

}  // namespace persistence::pg
