// calibrate_sequences: single-still and multi-frame error rates of the face decision (issue 12,
// docs/calibration.md §6-§8). Material: the NUAA webcam clips of ../shared/data/nuaa-dev (card
// photo made from a frame of one group, live = another group of the same person; impostors
// across persons) and sequences assembled from the East-Asian dev stills (impostors matched on
// sex, age and population by docs/calibration/labels.tsv). The decision is simulated with
// vision::EvidenceAccumulator, the rule the terminal runs (bench/calibration/sequence_eval.h).
//
//   calibrate_sequences --shared ../shared --out build/calibration [--threads 2]
#include <algorithm>
#include <iostream>

#include "bench/calibration/calibration_command.h"
#include "bench/calibration/sequence_eval.h"

namespace fs = std::filesystem;
using namespace uketsuke;
using namespace uketsuke::calibration;

int main(int argc, char** argv) {
    CLI::App app{"Single-still and multi-frame calibration (docs/calibration.md §6-§8)"};
    CommandPaths paths;
    SequenceDataOptions options;
    bool noCache = false;
    double fusion = fusionWeight(), early = -1, late = -1, targetFar = 0.001;
    std::vector<std::string> only;
    fs::path padEval;
    paths.addOptions(app, "the shared folder (data/nuaa-dev, data/faces-dev)",
                     "output folder (build directory) for the cache");
    app.add_option("--threads", options.threads, "analysis threads");
    app.add_option("--max-images-per-person", options.maxImagesPerPerson, "stills per person");
    app.add_option("--fusion-weight", fusion, "w in dlib + w * fr_feature");
    app.add_option("--early", early, "early-accept threshold to evaluate (default: calibrated)");
    app.add_option("--late", late, "end-of-window threshold to evaluate (default: calibrated)");
    app.add_flag("--no-cache", noCache, "keep no cache");
    app.add_option("--target-far", targetFar, "sequence FAR the thresholds are chosen for");
    app.add_option("--scores", only, "scores to evaluate (dlib, dlib-grey-live, fr_feature, ...)");
    app.add_flag("--refresh-quality", options.refreshQuality,
                 "re-run the quality gate on cached nuaa-dev frames");
    app.add_option("--pad-eval", padEval,
                   "evaluate_pad's pad-eval.json: genuine acceptance with the PAD in the loop");
    CLI11_PARSE(app, argc, argv);
    setFusionWeight(fusion);

    options.progress = [](std::size_t done, std::size_t total) {
        if (done % 50 == 0 || done == total)
            std::cerr << "\ranalysed " << done << " / " << total << std::flush;
    };
    const auto material = loadMaterial(paths, options, noCache);
    if (!material)
        return 2;
    const SequenceData& data = material->data;
    const LabelTable& labels = material->labels;
    std::cerr << "\n"
              << data.items.size() << " items (" << data.cacheHits << " from cache), "
              << data.seconds << " s; fr_feature " << (data.haveArcFace ? "present" : "absent")
              << "\n";

    qualityGateReport(data);

    std::vector<Score> scores{Score::kDlib, Score::kDlibGrey};
    if (data.haveArcFace)
        for (Score s : {Score::kFr, Score::kFrGrey, Score::kFused, Score::kFusedGrey})
            scores.push_back(s);
    if (!only.empty())
        scores.erase(std::remove_if(scores.begin(), scores.end(),
                                    [&](Score s) {
                                        return std::find(only.begin(), only.end(), scoreName(s)) ==
                                               only.end();
                                    }),
                     scores.end());
    stillReport(data, labels, scores);
    if (data.haveArcFace)
        fusionWeightReport(data, labels);

    const auto sequences = makeSequences(data, labels, {0, 10, 20});
    sequenceReport(data, sequences, scores, targetFar, early, late);
    shippedReport(data, labels, sequences);
    if (!padEval.empty())
        genuineWithPad(data, sequences, padEval);
    heldOutCheck(data, labels, sequences, data.haveArcFace);
    backendSequenceCheck(data, labels, sequences);
    return 0;
}
