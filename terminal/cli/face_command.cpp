// `uketsuke face match` and `uketsuke face embed`: the face engine from the command line (issue 3).
// Models come from Config.vision.modelsDir (models/README.md). Nothing is written to disk; the
// descriptor printed by `embed` is the user's explicit request and is not stored anywhere.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/core/utils/logger.hpp>

#include "terminal/cli/commands.h"
#include "vision/chip_photo.h"
#include "vision/face_engine.h"
#include "vision/face_verifier.h"
#include "vision/image_io.h"

namespace uketsuke::cli {
namespace {

using nlohmann::json;
using vision::VisionError;

constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;
constexpr int kExitUsage = 2;

json errorJson(VisionError e, const std::string& context) {
    return json{{"error", std::string(vision::name(e))},
                {"code", vision::code(e)},
                {"description", std::string(vision::describe(e))},
                {"context", context}};
}

int report(VisionError e, const std::string& context, bool asJson, int exitCode) {
    if (asJson)
        std::cout << json{{"ok", false}, {"result", errorJson(e, context)}}.dump(2) << "\n";
    else
        std::cerr << "uketsuke face: " << context << ": " << vision::describe(e) << " ["
                  << vision::name(e) << "]\n";
    return exitCode;
}

// Loads the two models; a missing or corrupt model is a configuration error (exit 2).
std::unique_ptr<vision::FaceEngine> loadEngine(const terminal::Config& config, bool asJson) {
    // OpenJPEG reports corrupt chip photos on stderr itself; the typed error says it once.
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    auto engine =
        vision::FaceEngine::load(vision::FaceModelPaths::inDirectory(config.vision.modelsDir));
    if (!engine) {
        report(engine.error(), "models in " + config.vision.modelsDir.string(), asJson, kExitUsage);
        return nullptr;
    }
    return std::move(engine).takeValue();
}

json qualityJson(const vision::FaceQuality& q) {
    json guidance = json::array();
    for (auto g : q.guidance)
        guidance.push_back(std::string(vision::guidanceInfo(g).name));
    json j{{"face_height_px", q.faceHeightPx},
           {"face_fraction", q.faceFraction},
           {"centre_offset", q.centreOffset},
           {"sharpness", q.sharpness},
           {"mean_luma", q.meanLuma},
           {"dark_fraction", q.darkFraction},
           {"bright_fraction", q.brightFraction},
           {"yaw_deg", q.pose.yawDeg},
           {"pitch_deg", q.pose.pitchDeg},
           {"roll_deg", q.pose.rollDeg},
           {"eye_aspect_ratio", q.eyeAspectRatio},
           {"lower_face_occlusion", q.lowerFaceOcclusion},
           {"guidance", guidance}};
    if (q.motionFraction)
        j["motion_fraction"] = *q.motionFraction;
    return j;
}

// Each failed gate of a frame: the measure, its value and the limit it crossed.
json gatesJson(const vision::FaceQuality& q, const vision::QualityThresholds& t) {
    json out = json::array();
    for (const auto& f : vision::explainQuality(q, t))
        out.push_back(json{{"guidance", std::string(vision::guidanceInfo(f.guidance).name)},
                           {"measure", std::string(f.measure)},
                           {"value", f.value},
                           {"comparison", std::string(f.comparison)},
                           {"limit", f.limit}});
    return out;
}

struct MatchOptions {
    std::string card;
    std::string live;
    bool asJson = false;
    std::optional<double> maxDistance;
    bool noLiveness = false;
};

int runMatch(const terminal::Config& config, const MatchOptions& o) {
    auto engine = loadEngine(config, o.asJson);
    if (!engine)
        return kExitUsage;
    auto reference = vision::loadChipPhotoFile(*engine, o.card);
    if (!reference)
        return report(reference.error(), "card photo " + o.card, o.asJson, kExitRefused);

    auto spec = vision::FrameSourceSpec::parse(o.live);
    // Recorded media are judged on media time, so they need not be replayed in real time.
    if (spec.kind != vision::FrameSourceKind::kCamera)
        spec.pacing = vision::Pacing::kUnpaced;
    auto source = vision::openFrameSource(spec);
    if (!source)
        return report(source.error(), "live source " + o.live, o.asJson, kExitRefused);

    vision::VisionThresholds thresholds;
    if (o.maxDistance) {
        // The threshold of whichever score is in use (dlib alone or fused with fr_feature).
        auto& v = thresholds.verifier;
        v.maxDistance = v.maxDistanceWithArcFace = *o.maxDistance;
        for (auto* e : {&v.evidence, &v.evidenceWithArcFace}) {
            e->maxFusedDistance = *o.maxDistance;
            e->earlyAcceptDistance = std::min(e->earlyAcceptDistance, *o.maxDistance);
        }
    }
    if (o.noLiveness)
        thresholds.verifier.requireLiveness = false;
    vision::FaceVerifier verifier(*engine, thresholds);
    const bool still = source.value()->kind() == vision::FrameSourceKind::kStillImage;
    const vision::VerificationResult r = verifier.verify(*reference, *source.value());

    const auto& outcome = vision::verificationOutcomeInfo(r.outcome);
    std::map<std::string, int> guidanceCounts;
    for (const auto& f : r.frames)
        if (f.quality)
            for (auto g : f.quality->guidance)
                ++guidanceCounts[std::string(vision::guidanceInfo(g).name)];

    if (o.asJson) {
        json frames = json::array();
        for (const auto& f : r.frames) {
            json jf{{"timestamp_ms", f.timestampMs},
                    {"faces", f.faceCount},
                    {"tracked", f.tracked},
                    {"embedded", f.embedded}};
            if (f.quality)
                jf["quality"] = qualityJson(*f.quality);
            if (f.distance)
                jf["distance"] = f.distance->value;
            if (f.dlibDistance)
                jf["dlib_distance"] = *f.dlibDistance;
            if (f.arcFaceDistance)
                jf["fr_feature_distance"] = *f.arcFaceDistance;
            if (!f.notCompared.empty())
                jf["not_compared"] = std::string(f.notCompared);
            if (f.quality && !f.quality->acceptable())
                jf["rejected_by"] = gatesJson(*f.quality, thresholds.quality);
            frames.push_back(jf);
        }
        json j{
            {"ok", r.outcome == vision::VerificationOutcome::kAccepted},
            {"decision", std::string(outcome.name)},
            {"description", std::string(outcome.description)},
            {"distance", r.distance ? json(r.distance->value) : json(nullptr)},
            {"distance_direction", "lower_is_same_face"},
            {"threshold", r.threshold},
            {"score", still ? "single_frame_distance" : "mean_of_best_frames_distance"},
            {"early_accept", r.earlyAccept},
            {"second_embedding", r.arcFaceUsed ? "fr_feature" : "none"},
            {"first_good_frame_ms", r.firstGoodFrameMs ? json(*r.firstGoodFrameMs) : json(nullptr)},
            {"capture_window_ms", still ? 0 : thresholds.verifier.evidence.windowMs},
            {"frames_seen", r.framesSeen},
            {"good_frames", r.goodFrames},
            {"frames_embedded", r.framesEmbedded},
            {"frames_agreeing", r.framesAgreeing},
            {"guidance", std::string(vision::guidanceInfo(r.guidance).name)},
            {"guidance_counts", guidanceCounts},
            {"liveness",
             {{"assessed", r.livenessAssessed},
              {"verdict", std::string(vision::name(r.liveness.verdict))},
              {"non_rigid_residual", r.liveness.nonRigidResidual},
              {"blink_seen", r.liveness.blinkSeen}}},
            {"elapsed_ms", r.elapsedMs},
            {"card_face_box",
             {reference->faceBox.x, reference->faceBox.y, reference->faceBox.width,
              reference->faceBox.height}},
            {"frames", frames}};
        if (r.sourceError)
            j["source_error"] = std::string(vision::name(*r.sourceError));
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << "decision:  " << outcome.name << " (" << outcome.description << ")\n";
        std::cout << std::fixed << std::setprecision(4);
        if (r.distance)
            std::cout << "distance:  " << r.distance->value << " (threshold " << r.threshold
                      << "; lower = same face)\n";
        else
            std::cout << "distance:  - (threshold " << r.threshold << ")\n";
        std::cout << "frames:    " << r.framesSeen << " seen, " << r.goodFrames << " good, "
                  << r.framesEmbedded << " embedded, " << r.framesAgreeing << " agreeing\n";
        std::cout << "liveness:  "
                  << (r.livenessAssessed ? std::string(vision::name(r.liveness.verdict))
                                         : std::string("not assessed"))
                  << "\n";
        std::cout << "guidance:  " << vision::guidanceInfo(r.guidance).name << "\n";
        for (const auto& [g, n] : guidanceCounts)
            std::cout << "  quality finding " << g << ": " << n << " frame(s)\n";
        if (r.frames.size() == 1 && r.frames[0].quality) {
            const auto& q = *r.frames[0].quality;
            std::cout << std::setprecision(1) << "  face " << q.faceHeightPx << " px, yaw "
                      << q.pose.yawDeg << ", pitch " << q.pose.pitchDeg << ", roll "
                      << q.pose.rollDeg << ", sharpness " << q.sharpness << ", luma " << q.meanLuma
                      << "\n";
        }
    }
    return r.outcome == vision::VerificationOutcome::kAccepted ? kExitOk : kExitRefused;
}

int runEmbed(const terminal::Config& config, const std::string& image, bool asJson) {
    auto engine = loadEngine(config, asJson);
    if (!engine)
        return kExitUsage;
    auto decoded = vision::decodeImageFile(image);
    if (!decoded)
        return report(decoded.error(), "image " + image, asJson, kExitRefused);
    auto face = engine->embedLargestFace(decoded.value());
    if (!face)
        return report(face.error(), "image " + image, asJson, kExitRefused);
    const vision::Embedding& e = *face->embedding;
    if (asJson) {
        json j{{"ok", true},
               {"box", {face->box.x, face->box.y, face->box.width, face->box.height}},
               {"descriptor", std::vector<float>(e.begin(), e.end())},
               {"quality", qualityJson(face->quality)}};
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << "box: " << face->box.x << "," << face->box.y << " " << face->box.width << "x"
                  << face->box.height << "\ndescriptor:";
        std::cout << std::setprecision(9);
        for (float v : e)
            std::cout << " " << v;
        std::cout << "\n";
    }
    return kExitOk;
}

}  // namespace

void registerFaceCommands(CLI::App& app, const ConfigProvider& config, int& exitCode) {
    auto* face = app.add_subcommand("face", "face engine: match a live face with the chip photo");
    face->require_subcommand(1);

    auto match = std::make_shared<MatchOptions>();
    auto* matchCmd = face->add_subcommand(
        "match", "compare the chip photo with a live image, video or camera; prints the decision");
    matchCmd->add_option("--card", match->card, "chip photo (JPEG 2000, JPEG, PNG)")->required();
    matchCmd
        ->add_option("--live", match->live,
                     "live IMAGE, VIDEO file, image directory, images:PATTERN or camera:N")
        ->required();
    matchCmd->add_flag("--json", match->asJson, "print JSON");
    matchCmd->add_option(
        "--max-distance", match->maxDistance,
        "override the threshold of the score in use (default: vision/thresholds.h)");
    matchCmd->add_flag("--no-liveness", match->noLiveness,
                       "do not require passive liveness (videos made from a photo)");
    matchCmd->callback([match, config, &exitCode] { exitCode = runMatch(config(), *match); });

    auto embedImage = std::make_shared<std::string>();
    auto embedJson = std::make_shared<bool>(false);
    auto* embedCmd =
        face->add_subcommand("embed", "print the 128-D descriptor of the largest face");
    embedCmd->add_option("IMAGE", *embedImage, "image file")->required();
    embedCmd->add_flag("--json", *embedJson, "print JSON");
    embedCmd->callback([embedImage, embedJson, config, &exitCode] {
        exitCode = runEmbed(config(), *embedImage, *embedJson);
    });
}

}  // namespace uketsuke::cli
