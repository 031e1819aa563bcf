// main() of the gtest binaries CTest runs as one process (plain add_test): see gtest_skip_main.h.
#include "gtest_skip_main.h"

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    return uketsuke::testing::exitStatusWithSkips(RUN_ALL_TESTS());
}
