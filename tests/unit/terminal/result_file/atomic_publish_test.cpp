// Atomic publication of result files into the `res` folder: complete files only, no temporary
// files left behind, never replacing another file, typed errors on unwritable folders.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pugixml.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "terminal/result_file/result_file_writer.h"

namespace uketsuke::testing {
namespace {

namespace fs = std::filesystem;
using namespace uketsuke::terminal;

ResultFileInput minimalInput() {
    ResultFileInput in;
    in.result.segmentOfResult = "1";
    in.result.processingResultStatus = "1";
    in.result.processExecutionTime = "20250410093015";
    in.result.qualificationConfirmationDate = "20250410";
    in.result.medicalInstitutionCode = "1312345678";
    in.result.validity = QualificationValidity::kValid;
    QualificationRecord r;
    r.insurerNumber = "01130012";
    r.name = "試験 太郎";
    in.result.records.push_back(r);
    return in;
}

std::vector<std::string> listDir(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
}

class AtomicPublishTest : public ::testing::Test {
  protected:
    void SetUp() override {
        res_ = fs::temp_directory_path() /
               ("uketsuke-res-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(res_);
        fs::create_directories(res_);
        config_.resFolder = res_;
    }
    void TearDown() override {
        std::error_code ec;
        fs::permissions(res_, fs::perms::owner_all, ec);
        fs::remove_all(res_, ec);
    }

    // Runs writeResultFile in a child process (with `prepare` applied first) and returns the
    // error code it reported, or -1 when it succeeded.
    template <typename Prepare>
    int writeInChild(Prepare prepare) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            prepare();
            auto r = writeResultFile(config_, minimalInput(), 0);
            ::_exit(r ? 100 : static_cast<int>(r.error().code));
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 200;
        return code == 100 ? -1 : code;
    }

    fs::path res_;
    ResultFileConfig config_;
};

// A written file parses back and is the only entry in the folder (no temporary file left).
TEST_F(AtomicPublishTest, WritesCompleteFileAndNothingElse) {
    // Act
    auto path = writeResultFile(config_, minimalInput(), 0);
    // Assert
    ASSERT_TRUE(path) << path.error().message();
    EXPECT_EQ(listDir(res_),
              std::vector<std::string>{"OQSsiquc01res_face_1312345678_20250410093015.xml"});
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(path.value().c_str()));
    EXPECT_STREQ(doc.select_node("//ResultOfQualificationConfirmation/Name").node().text().get(),
                 "試験 太郎");
}

// Two confirmations in the same second get two files; neither replaces the other.
TEST_F(AtomicPublishTest, SameSecondGetsSuffixedNameWithoutReplacing) {
    // Arrange
    ResultFileInput second = minimalInput();
    second.result.records[0].name = "試験 次郎";
    // Act
    auto a = writeResultFile(config_, minimalInput(), 0);
    auto b = writeResultFile(config_, second, 0);
    // Assert
    ASSERT_TRUE(a && b);
    EXPECT_EQ(listDir(res_),
              (std::vector<std::string>{"OQSsiquc01res_face_1312345678_20250410093015.xml",
                                        "OQSsiquc01res_face_1312345678_20250410093015_2.xml"}));
    pugi::xml_document first;
    ASSERT_TRUE(first.load_file(a.value().c_str()));
    EXPECT_STREQ(first.select_node("//Name").node().text().get(), "試験 太郎");
}

// Without a ProcessExecutionTime the name uses `now` in JST.
TEST_F(AtomicPublishTest, NameFallsBackToNowInJst) {
    // Arrange
    ResultFileInput in = minimalInput();
    in.result.processExecutionTime.clear();
    // Act: 2025-01-01T00:00:00Z is 09:00 JST.
    auto path = writeResultFile(config_, in, 1735689600);
    // Assert
    ASSERT_TRUE(path);
    EXPECT_EQ(path.value().filename(), "OQSsiquc01res_face_1312345678_20250101090000.xml");
}

// A missing res folder is kFolderMissing and creates nothing.
TEST_F(AtomicPublishTest, MissingFolderIsTypedError) {
    // Arrange
    config_.resFolder = res_ / "absent";
    // Act
    auto path = writeResultFile(config_, minimalInput(), 0);
    // Assert
    ASSERT_FALSE(path);
    EXPECT_EQ(path.error().code, ResultFileErrorCode::kFolderMissing);
    EXPECT_FALSE(fs::exists(res_ / "absent"));
}

// A folder the process may not write to is kNotWritable and stays empty. As root, permissions
// do not apply, so the write runs in a child that drops to the unprivileged "nobody" user.
TEST_F(AtomicPublishTest, UnwritableFolderIsTypedErrorAndStaysEmpty) {
    // Arrange
    fs::permissions(res_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::group_exec | fs::perms::others_read |
                              fs::perms::others_exec);
    // Act
    const int code = writeInChild([] {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
            ::_exit(201);
    });
    // Assert
    EXPECT_EQ(code, static_cast<int>(ResultFileErrorCode::kNotWritable));
    EXPECT_TRUE(listDir(res_).empty());
}

// A write that fails half-way (file size limit, like a full disk) leaves no file at all.
TEST_F(AtomicPublishTest, FailedWriteLeavesNoPartialFile) {
    // Act
    const int code = writeInChild([] {
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{64, 64};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    // Assert
    EXPECT_EQ(code, static_cast<int>(ResultFileErrorCode::kWriteFailed));
    EXPECT_TRUE(listDir(res_).empty());
}

// When every collision-safe name is taken the write fails and removes its temporary file.
TEST_F(AtomicPublishTest, ExhaustedNamesFailCleanly) {
    // Arrange
    for (int i = 0; i < kMaxNameVariants; ++i) {
        auto name = resultFileName(kFaceResultNamePattern, "1312345678", "20250410093015", i);
        ASSERT_TRUE(name);
        std::ofstream(res_ / name.value()) << "taken";
    }
    // Act
    auto path = writeResultFile(config_, minimalInput(), 0);
    // Assert
    ASSERT_FALSE(path);
    EXPECT_EQ(path.error().code, ResultFileErrorCode::kNameExhausted);
    EXPECT_EQ(listDir(res_).size(), static_cast<std::size_t>(kMaxNameVariants));
}

}  // namespace
}  // namespace uketsuke::testing
