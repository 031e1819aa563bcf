// The guidance table (see guidance_table.h). voice_guide.cpp chooses the code for each screen.
#include "qml/sound/guidance_table.h"

namespace uketsuke::qml::sound {
namespace {

constexpr GuidanceEntry kGuidance[] = {
    // Place card (spoken when the idle screen is touched) and reading.
    {"place_card",
     "マイナンバーカードを、顔写真のある面を上にして、カードリーダーに置いてください。",
     "Please place your My Number Card on the reader, with the photo side up.", false},
    {"reading_card", "カードを読み取っています。カードを動かさないでください。",
     "Reading your card. Please do not move it.", false},
    // Choosing the identity check.
    {"choose_method", "本人確認の方法を、画面から選んでください。",
     "Please choose on the screen how to confirm who you are.", false},
    {"choose_method_no_pin",
     "このカードでは暗証番号が使えません。顔認証か、職員による確認を選んでください。",
     "The PIN cannot be used with this card. Please choose face recognition, or a check by a "
     "staff member.",
     true},
    {"card_front_wait", "職員が、カードに印刷された情報を入力します。少しお待ちください。",
     "A staff member will enter the details printed on your card. Please wait.", false},
    // Face recognition and its quality hints (vision/quality.cpp guidance codes, "face_" + code).
    {"face_start", "カメラを見てください。画面の枠の中に、顔を合わせてください。",
     "Please look at the camera, and fit your face inside the frame on the screen.", false},
    {"face_come_closer", "もう少し近づいてください。", "Please come a little closer.", false},
    {"face_move_back", "少し離れてください。", "Please move back a little.", false},
    {"face_centre_face", "枠の中に顔を合わせてください。", "Please move your face into the frame.",
     false},
    {"face_face_camera", "カメラの方を向いてください。", "Please face the camera.", false},
    {"face_open_eyes", "目を開けてください。", "Please keep your eyes open.", false},
    {"face_remove_mask", "マスクを外してください。", "Please remove your mask.", false},
    {"face_more_light", "暗すぎます。明るい場所でお願いします。",
     "It is too dark. Please find more light.", false},
    {"face_less_light", "光が強すぎます。", "There is too much light.", false},
    {"face_hold_still", "そのまま動かないでください。", "Please hold still.", false},
    {"face_no_face", "顔が見つかりません。カメラを見てください。",
     "No face found. Please look at the camera.", false},
    {"face_many_faces", "お一人で、カメラに映ってください。",
     "Only one person in front of the camera, please.", false},
    {"face_retry", "顔を確認できませんでした。もう一度、カメラを見てください。",
     "Your face could not be confirmed. Please look at the camera again.", true},
    // The active liveness challenge (spoken when the screen asks, never before).
    {"challenge_wait", "もう一度だけ確認します。そのままカメラを見ていてください。",
     "One more check. Please keep looking at the camera.", true},
    {"challenge_turn_left", "顔を、ゆっくり左に向けてください。",
     "Slowly turn your head to the left.", false},
    {"challenge_turn_right", "顔を、ゆっくり右に向けてください。",
     "Slowly turn your head to the right.", false},
    {"challenge_blink_twice", "まばたきを、2回してください。", "Please blink twice.", false},
    // PIN.
    {"pin_entry", "暗証番号、数字4桁を入力してください。", "Please enter your 4-digit PIN.", false},
    {"pin_after_face",
     "顔で確認できなかったため、暗証番号で確認します。数字4桁を入力してください。",
     "Your face could not be confirmed, so please enter your 4-digit PIN.", true},
    {"pin_wrong", "暗証番号が違います。もう一度入力してください。",
     "The PIN is not correct. Please enter it again.", true},
    {"pin_last_try", "次に間違えると、カードがロックされます。画面の注意をお読みください。",
     "This is your last try. If the PIN is wrong, the card locks. Please read the warning on the "
     "screen.",
     true},
    // Staff check.
    {"staff_check", "職員が本人確認を行います。その場でお待ちください。",
     "A staff member will check your identity. Please wait here.", false},
    {"staff_check_after_failure",
     "自動で確認できなかったため、職員が確認します。その場でお待ちください。",
     "This could not be confirmed automatically, so a staff member will check. Please wait here.",
     true},
    // Consent, confirmation, result.
    {"consent", "ご本人と確認できました。続いて、情報の提供に同意するかを、画面で選んでください。",
     "Your identity is confirmed. Next, please choose on the screen whether you agree to share "
     "your information.",
     false},
    {"confirming", "保険の資格を確認しています。しばらくお待ちください。",
     "Checking your health insurance. Please wait.", false},
    {"result_confirmed", "受付が完了しました。", "You are checked in.", false},
    {"result_refused", "受付できませんでした。画面の説明をご覧ください。",
     "Check-in was not possible. Please read the screen.", true},
    {"result_error", "保険の資格を確認できませんでした。受付にお声がけください。",
     "Your insurance could not be checked. Please speak to the reception staff.", true},
    // Taking the card, and the endings said there.
    {"remove_card", "カードをお取りください。", "Please take your card.", false},
    {"remove_card_confirmed",
     "カードをお取りください。お名前が呼ばれるまで、待合室でお待ちください。",
     "Please take your card, and wait in the waiting room until your name is called.", false},
    {"ending_cancelled", "受付をやめました。カードをお取りください。",
     "Check-in stopped. Please take your card.", false},
    {"ending_timeout", "時間が過ぎたため、受付を中止しました。カードをお取りください。",
     "Check-in stopped because there was no answer in time. Please take your card.", true},
    {"card_left_alarm", "カードが残っています。カードをお取りください。",
     "Your card is still in the reader. Please take your card.", false},
    {"ending_card_removed",
     "カードが抜かれたため、受付を中止しました。もう一度、カードを置いてください。",
     "The card was taken out, so check-in stopped. Please place your card again.", true},
    // Help, time, out of service.
    {"staff_called", "職員を呼びました。その場でお待ちください。",
     "A staff member is on the way. Please wait here.", true},
    {"time_running_out", "まもなく時間切れになります。続けるときは、画面に触れてください。",
     "Time is almost up. To continue, please touch the screen.", true},
    {"unavailable", "この端末は、ただいま使用できません。受付にお声がけください。",
     "This terminal is out of service. Please speak to the reception staff.", true},
};

// Two-note "pin-pon" for attention, a three-beep square-ish alarm, a rising three-note call.
constexpr ChimeSpec kChimes[] = {
    {"attention", {880.0, 659.25, 0, 0}, 2, 260, 500, 0.55},
    {"alarm", {1318.5, 1318.5, 1318.5, 0}, 3, 150, 120, 0.7},
    {"station_call", {659.25, 830.6, 987.8, 0}, 3, 200, 600, 0.55},
};

}  // namespace

std::span<const GuidanceEntry> guidanceTable() {
    return kGuidance;
}

const GuidanceEntry* findGuidance(std::string_view code) {
    for (const auto& e : kGuidance) {
        if (code == e.code)
            return &e;
    }
    return nullptr;
}

std::span<const ChimeSpec> chimeTable() {
    return kChimes;
}

const ChimeSpec* findChime(std::string_view name) {
    for (const auto& c : kChimes) {
        if (name == c.name)
            return &c;
    }
    return nullptr;
}

}  // namespace uketsuke::qml::sound
