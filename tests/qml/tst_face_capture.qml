// Face capture: live preview, guide frame, guidance text from the engine's codes.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "FaceCapture"
    width: 1280; height: 720
    visible: true
    when: windowShown

    FakeSession { id: fake }
    Component { id: screen; FaceCapture { session: fake; width: 1280; height: 720 } }

    function init() {
        fake.reset()
        Str.language = "ja"
        fake.setState(SessionModel.FaceCapture)
    }

    function test_guidance_codes_are_shown_as_text() {
        const page = createTemporaryObject(screen, testCase)
        const guidance = findChild(page, "guidanceText")
        const expected = {
            "come_closer": "もう少し近づいてください",
            "remove_mask": "マスクを外してください",
            "face_camera": "カメラの方を向いてください",
            "more_light": "明るい場所でお願いします"
        }
        for (const code in expected) {
            fake.set("faceGuidance", code)
            compare(guidance.text, expected[code], code)
        }
        Str.language = "en"
        fake.set("faceGuidance", "move_back")
        compare(guidance.text, "Please move back a little")
    }

    function test_every_engine_guidance_code_has_text() {
        const page = createTemporaryObject(screen, testCase)
        const guidance = findChild(page, "guidanceText")
        const generic = Str.code("guidance", "_default", "ja")
        for (const code of ["come_closer", "move_back", "centre_face", "face_camera", "open_eyes",
                            "remove_mask", "more_light", "less_light", "hold_still"]) {
            fake.set("faceGuidance", code)
            verify(guidance.text.length > 0 && guidance.text !== generic, code)
        }
    }

    function test_preview_and_guide_frame() {
        const page = createTemporaryObject(screen, testCase)
        const preview = findChild(page, "livePreview")
        fake.setCamera(true)
        verify(preview.source.toString().indexOf("image://uketsuke/live/") === 0)
        verify(findChild(page, "faceGuide").visible)
        fake.setCamera(false)
        compare(preview.source.toString(), "")
    }

    function test_failed_attempt_message_and_cancel() {
        const page = createTemporaryObject(screen, testCase)
        fake.set("faceAttempts", 1)
        fake.set("message", "face-mismatch")
        verify(findChild(page, "faceMessage").text.length > 0)
        mouseClick(findChild(page, "cancelButton"))
        compare(fake.lastCall, "cancel")
    }
}
