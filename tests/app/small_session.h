// The window suites' setup: the seed session on a tensor small enough that each analysis takes
// milliseconds.
#pragma once

#include "session.h"

inline ql::ui::Session smallSession() {
    ql::ui::Session s = ql::ui::Session::defaults();
    s.tensor.generator.shape = {96, 128};
    s.analysis.layer_sim.width = 64;
    s.analysis.layer_sim.batch = 8;
    return s;
}
