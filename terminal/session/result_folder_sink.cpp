// ResultFolderSink (session_adapters.h): the session's result files in the configured folder.
// Apart from the face adapters, so a build without the face engine (UKETSUKE_BUILD_VISION=OFF,
// the sanitizer build) has it too.
#include "terminal/session/session_adapters.h"

namespace uketsuke::terminal {

Result<std::filesystem::path, std::string> ResultFolderSink::write(const ResultFileInput& input,
                                                                   std::time_t now) {
    auto path = writeResultFile(config_, input, now);
    if (!path)
        return fail(std::string("result file not written"));
    return path.value();
}

Result<StagedResultRef, std::string> ResultFolderSink::stage(const ResultFileInput& input,
                                                             std::time_t now,
                                                             const std::string& sessionId) {
    auto staged = stageResultFile(config_, input, now, sessionId);
    if (!staged)
        return fail("result file not staged: " + staged.error().detail);
    StagedResultRef ref{staged->file.tempName(), staged->baseName};
    staged_.insert_or_assign(ref.stagedName, std::move(staged).takeValue());
    return ref;
}

Result<std::filesystem::path, std::string> ResultFolderSink::publish(const StagedResultRef& ref) {
    const auto it = staged_.find(ref.stagedName);
    if (it == staged_.end())
        return fail(std::string("nothing staged as ") + ref.stagedName);
    auto published = publishResultFile(it->second);
    if (!published)
        return fail("result file not published: " + published.error().detail);
    staged_.erase(it);
    return published.value();
}

void ResultFolderSink::discard(const StagedResultRef& ref) {
    const auto it = staged_.find(ref.stagedName);
    if (it == staged_.end())
        return;
    discardStaged(it->second.file);
    staged_.erase(it);
}

}  // namespace uketsuke::terminal
