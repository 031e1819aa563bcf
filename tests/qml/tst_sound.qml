// Voice and sound (issue 17): VoiceGuide drives the Sound player over a FakeSession, and a
// FakeAudioSink records what was played (the build's rendered prompts, so a missing file fails
// here too): the step prompts in both languages, the attention chime before a warning, face
// hints, the card-left-behind alarm repeating until the card is taken, mute, volume, staff mode,
// the staff page's toggle, the guide inside the real kiosk window (Main.qml) and the staff
// station's call chime.
import QtQuick
import QtTest
import Uketsuke
import Uketsuke.Testing

TestCase {
    id: testCase
    name: "Sound"
    width: 1280; height: 800
    visible: true
    when: windowShown

    FakeSession { id: fake }
    FakeAudioSink { id: sink }
    VoiceGuide {
        id: guide
        session: fake
        player: Sound
        language: Str.language
        faceHintDelayMs: 100
        faceHintGapMs: 1000
    }
    Component { id: mainWindow; Main { session: fake } }
    Component { id: soundPage; SoundSettings { session: fake; width: 1280; height: 800 } }
    Component { id: staffPanel; StaffPanel { session: fake; width: 1280; height: 800 } }
    Component { id: stationWindow; StaffStation { station: StaffStationModel {} } }

    function init() {
        guide.enabled = false
        fake.leaveStaffMode()
        fake.reset()
        Str.language = "ja"
        Sound.sink = sink
        Sound.dir = sink.renderedDir
        Sound.muted = false
        Sound.volume = 70
        Sound.alarmWhenMuted = true
        Sound.alarmPeriodMs = 6000
        Sound.stopAlarm()
        Sound.stopVoice()
        guide.enabled = true
        sink.clear()
    }

    function voices() { return sink.plays.filter(p => p.startsWith("voice:")) }
    function lastVoice() { const v = voices(); return v.length ? v[v.length - 1] : "" }

    function test_rendered_prompts_are_found() {
        verify(Sound.available, Sound.problem)
        compare(Sound.problem, "")
        verify(Sound.durationMs(Sound.promptFile("place_card", "ja")) > 1000)
        verify(Sound.durationMs(Sound.promptFile("place_card", "en")) > 1000)
    }

    function test_each_step_speaks_its_prompt() {
        const steps = [
            [SessionModel.ReadingCard, "voice:ja/reading_card.wav"],
            [SessionModel.ChoosingMethod, "voice:ja/choose_method.wav"],
            [SessionModel.PinEntry, "voice:ja/pin_entry.wav"],
            [SessionModel.Consent, "voice:ja/consent.wav"],
            [SessionModel.Confirming, "voice:ja/confirming.wav"],
        ]
        for (const [state, expected] of steps) {
            fake.setState(state)
            compare(lastVoice(), expected, "state " + state)
        }
        fake.set("resultOutcome", "confirmed")
        fake.setState(SessionModel.ShowingResult)
        compare(lastVoice(), "voice:ja/result_confirmed.wav")
        fake.set("ending", "confirmed")
        fake.setState(SessionModel.RemoveCard)
        compare(lastVoice(), "voice:ja/remove_card_confirmed.wav")
        // The same step again says nothing more.
        const count = voices().length
        fake.set("timeLeftSeconds", 100)
        compare(voices().length, count)
    }

    function test_silent_idle_until_touched() {
        fake.setState(SessionModel.ReadingCard)
        fake.setState(SessionModel.Idle)
        Sound.stopVoice()  // the last prompt may still be playing: a touch never interrupts it
        sink.clear()
        fake.set("timeLeftSeconds", 0)
        compare(voices().length, 0)
        fake.noteActivity()
        compare(lastVoice(), "voice:ja/place_card.wav")
        // Not again at once.
        fake.noteActivity()
        compare(voices().length, 1)
    }

    function test_english_and_language_switch_repeats_the_step() {
        Str.language = "en"
        fake.setState(SessionModel.ChoosingMethod)
        compare(lastVoice(), "voice:en/choose_method.wav")
        Str.language = "ja"
        compare(lastVoice(), "voice:ja/choose_method.wav")
    }

    function test_warning_rings_the_attention_chime_first() {
        fake.set("pinTriesLeft", 3)
        fake.setState(SessionModel.PinEntry)
        sink.clear()
        fake.set("message", "pin-wrong")
        fake.set("pinTriesLeft", 2)
        compare(sink.plays[0], "chime:chime/attention.wav")
        compare(voices().length, 0)
        tryCompare(testCase, "lastVoiceSeen", "voice:ja/pin_wrong.wav", 3000)
        // A second wrong PIN: said again (one try fewer).
        sink.clear()
        fake.set("pinTriesLeft", 1)
        fake.set("lastTryWarning", true)
        tryCompare(testCase, "lastVoiceSeen", "voice:ja/pin_last_try.wav", 3000)
    }
    property string lastVoiceSeen: sink.plays.filter(p => p.startsWith("voice:")).slice(-1)[0] || ""

    function test_fallback_says_why() {
        fake.set("message", "face-mismatch")
        fake.setState(SessionModel.StaffCheck)
        tryCompare(testCase, "lastVoiceSeen", "voice:ja/staff_check_after_failure.wav", 3000)
        fake.set("message", "")
        fake.set("offerPin", false)
        fake.set("pinUnavailableReason", "face-auth-card")
        fake.setState(SessionModel.ChoosingMethod)
        tryCompare(testCase, "lastVoiceSeen", "voice:ja/choose_method_no_pin.wav", 3000)
    }

    function test_challenge_is_said_when_the_screen_asks() {
        fake.set("challengeAction", "turn-left")
        fake.setState(SessionModel.FaceChallenge)
        tryCompare(testCase, "lastVoiceSeen", "voice:ja/challenge_wait.wav", 3000)
        fake.set("challengePrompted", true)
        compare(lastVoice(), "voice:ja/challenge_turn_left.wav")
    }

    function test_face_hint_after_it_stands() {
        fake.setState(SessionModel.FaceCapture)
        compare(lastVoice(), "voice:ja/face_start.wav")
        Sound.stopVoice()
        sink.clear()
        fake.set("faceGuidance", "come_closer")
        tryCompare(testCase, "lastVoiceSeen", "voice:ja/face_come_closer.wav", 2000)
        // "none" (all good) is never said.
        Sound.stopVoice()
        sink.clear()
        fake.set("faceGuidance", "none")
        wait(400)
        compare(voices().length, 0)
    }

    function test_card_left_alarm_repeats_until_the_card_is_taken() {
        Sound.alarmPeriodMs = 1500
        fake.set("ending", "confirmed")
        fake.setState(SessionModel.RemoveCard)
        sink.clear()
        fake.set("cardLeftBehindAlarm", true)
        verify(Sound.alarmActive)
        compare(sink.plays[0], "alarm:chime/alarm.wav")
        tryCompare(testCase, "lastVoiceSeen", "voice:ja/card_left_alarm.wav", 2000)
        // Again, until taken.
        tryVerify(() => sink.plays.filter(p => p === "alarm:chime/alarm.wav").length >= 2, 3000)
        fake.set("cardLeftBehindAlarm", false)
        fake.setState(SessionModel.Idle)
        verify(!Sound.alarmActive)
        verify(sink.events.indexOf("stop:alarm") >= 0)
        const n = sink.plays.length
        wait(1800)
        compare(sink.plays.length, n)
    }

    function test_mute_silences_voice_but_the_alarm_beeps() {
        Sound.muted = true
        fake.setState(SessionModel.ChoosingMethod)
        fake.setState(SessionModel.PinEntry)
        compare(sink.plays.length, 0)
        compare(Sound.lastCode, "pin_entry")  // asked for, kept silent
        Sound.alarmPeriodMs = 700
        fake.setState(SessionModel.RemoveCard)
        fake.set("cardLeftBehindAlarm", true)
        compare(sink.plays, ["alarm:chime/alarm.wav"])
        tryVerify(() => sink.plays.length >= 2, 2000)
        compare(voices().length, 0)
        fake.set("cardLeftBehindAlarm", false)
        // alarm_when_muted false: nothing at all.
        sink.clear()
        Sound.alarmWhenMuted = false
        fake.set("cardLeftBehindAlarm", true)
        wait(900)
        compare(sink.plays.length, 0)
    }

    function test_volume_reaches_the_sink() {
        Sound.volume = 100
        fake.setState(SessionModel.ReadingCard)
        verify(sink.events[sink.events.length - 1].endsWith("@1.00"), sink.events.join(","))
        Sound.volume = 30
        fake.setState(SessionModel.ChoosingMethod)
        const last = sink.events[sink.events.length - 1]
        verify(last.endsWith("@" + Sound.linearGain(30).toFixed(2)), last)
        verify(Sound.linearGain(30) < Sound.linearGain(70) && Sound.linearGain(70) < 1)
        Sound.volume = 0
        sink.clear()
        fake.setState(SessionModel.PinEntry)
        compare(sink.plays.length, 0)
    }

    function test_staff_call_and_staff_mode() {
        fake.setState(SessionModel.ChoosingMethod)
        sink.clear()
        fake.callStaff()
        compare(sink.plays[0], "chime:chime/attention.wav")
        tryCompare(testCase, "lastVoiceSeen", "voice:ja/staff_called.wav", 3000)
        fake.dismissStaffCall()
        // Staff pages are not the patient's steps: silent.
        fake.enterStaffMode()
        sink.clear()
        fake.setState(SessionModel.PinEntry)
        compare(voices().length, 0)
        fake.leaveStaffMode()
    }

    function test_time_running_out_once() {
        fake.set("timeoutSeconds", 120)
        fake.set("timeLeftSeconds", 60)
        fake.setState(SessionModel.Consent)
        Sound.stopVoice()
        sink.clear()
        fake.set("timeLeftSeconds", 15)
        compare(sink.plays[0], "chime:chime/attention.wav")
        tryCompare(testCase, "lastVoiceSeen", "voice:ja/time_running_out.wav", 3000)
        fake.set("timeLeftSeconds", 14)
        fake.set("timeLeftSeconds", 13)
        compare(voices().length, 1)
    }

    function test_every_guidance_code_is_reachable_from_a_screen() {
        // The codes VoiceGuide picks all exist in the rendered set, both languages.
        const codes = ["place_card", "reading_card", "choose_method", "choose_method_no_pin",
                       "card_front_wait", "face_start", "face_retry", "challenge_wait",
                       "challenge_turn_left", "challenge_turn_right", "challenge_blink_twice",
                       "pin_entry", "pin_after_face", "pin_wrong", "pin_last_try", "staff_check",
                       "staff_check_after_failure", "consent", "confirming", "result_confirmed",
                       "result_refused", "result_error", "remove_card", "remove_card_confirmed",
                       "ending_cancelled", "ending_timeout", "card_left_alarm",
                       "ending_card_removed", "staff_called", "time_running_out", "unavailable"]
        for (const code of codes) {
            for (const lang of ["ja", "en"])
                verify(Sound.durationMs(Sound.promptFile(code, lang)) > 500, lang + "/" + code)
        }
    }

    function test_staff_page_mutes_and_sets_the_volume() {
        const page = createTemporaryObject(soundPage, testCase)
        compare(findChild(page, "soundState").text, "音声案内とチャイムが鳴ります。")
        mouseClick(findChild(page, "muteButton"))
        verify(Sound.muted)
        compare(findChild(page, "soundState").text.indexOf("消音中"), 0)
        mouseClick(findChild(page, "muteButton"))
        verify(!Sound.muted)
        mouseClick(findChild(page, "volumeDown"))
        compare(Sound.volume, 60)
        compare(findChild(page, "volumeText").text, "音量 60")
        mouseClick(findChild(page, "volumeUp"))
        mouseClick(findChild(page, "volumeUp"))
        compare(Sound.volume, 80)
        sink.clear()
        mouseClick(findChild(page, "testButton"))
        compare(lastVoice(), "voice:ja/place_card.wav")
        verify(!findChild(page, "soundProblem").visible)
    }

    function test_kiosk_window_has_the_guide() {
        guide.enabled = false
        const win = createTemporaryObject(mainWindow, testCase)
        const windowGuide = findChild(win, "voiceGuide")
        verify(windowGuide !== null)
        compare(windowGuide.player, Sound)
        sink.clear()
        fake.setState(SessionModel.ReadingCard)
        compare(lastVoice(), "voice:ja/reading_card.wav")
        compare(windowGuide.stepCode, "reading_card")
    }

    function test_staff_station_chimes_when_a_call_arrives() {
        const win = createTemporaryObject(stationWindow, testCase)
        win.station.callArrived("reception-1", "patient")
        compare(sink.plays, ["chime:chime/station_call.wav"])
        Sound.muted = true
        win.station.callArrived("reception-2", "stuck")
        compare(sink.plays.length, 1)
    }

    function test_staff_menu_opens_the_sound_page() {
        fake.set("staffSignedIn", true)
        const panel = createTemporaryObject(staffPanel, testCase)
        panel.open("StaffMenu.qml")
        const loader = findChild(panel, "staffPageLoader")
        tryVerify(() => loader.item && findChild(loader.item, "menu-sound"))
        compare(findChild(loader.item, "menu-sound").text, "音声案内と音量")
        mouseClick(findChild(loader.item, "menu-sound"))
        tryVerify(() => loader.item && findChild(loader.item, "muteButton"))
        mouseClick(findChild(loader.item, "muteButton"))
        verify(Sound.muted)
        panel.close()
    }
}
