// Attributes bound to a spec (define_attribute(..., spec => 'name')): transact() checks
// every value it is about to assert for them and refuses the whole transaction (23514,
// the explain_for_llm text in DETAIL) before anything is written.
#pragma once

#include <vector>

#include "persistence/fact/model.hpp"

namespace persistence::pg {

void check_attribute_specs(const std::vector<fact::NewDatom>& datoms);

}  // namespace persistence::pg
