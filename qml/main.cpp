// uketsuke-ui: the kiosk (issue 5). `uketsuke ui ARGS` execs this binary.
#include "qml/kiosk_main.h"

int main(int argc, char** argv) {
    return uketsuke::qml::runKiosk(argc, argv);
}
