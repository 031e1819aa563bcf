// Waiting for the qualification service (§3 step 4).
import QtQuick
import Uketsuke

ReadingCard {
    titleId: "confirming"
    bodyId: "please_wait"
}
