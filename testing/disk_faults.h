#ifndef NEWSEVENTS_TESTING_DISK_FAULTS_H_
#define NEWSEVENTS_TESTING_DISK_FAULTS_H_

// The one fault-injection seam of the stores: a RocksDB Env whose files
// fail with "no space" while the disk is set full, as a full disk would.
// Both stores take it through their options (OutboxOptions::env_for_testing,
// EventStoreOptions::env_for_testing, QueryHandlerOptions::env_for_testing),
// so a test drives the real RocksDB write path into its real error
// handling instead of short-circuiting it.
//
//   newsevents::testing::DiskFaults disk;
//   auto store = EventStore::Open({.path = dir, .env_for_testing =
//   disk.env()}); disk.SetFull(true);   // every new file, append and sync
//   fails
//
// While full, opening a new file, appending and syncing fail with
// IOStatus::NoSpace; reads are unaffected. DiskFaults(".log") limits the
// faults to the files whose names end so (the write-ahead logs), leaving
// flushes and the MANIFEST working: a failed write that RocksDB then
// resumes from deterministically, where a full disk also fails its
// background work and may leave it unrecoverable until reopened.
// Header-only; tests only.
// Ownership: env() is owned by the DiskFaults, which must outlive every
// store opened with it. Thread-safety: SetFull may be called from any thread
// while stores use the Env.

#include <atomic>
#include <memory>
#include <string>

#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace newsevents::testing {

class DiskFaults {
 public:
  // Faults hit the files whose names end with `suffix` (all when empty).
  explicit DiskFaults(std::string suffix = "")
      : file_system_(std::make_shared<FileSystem>(std::move(suffix), &full_)),
        env_(rocksdb::NewCompositeEnv(file_system_)) {}

  rocksdb::Env* env() const { return env_.get(); }
  void SetFull(bool full) { full_ = full; }

 private:
  static rocksdb::IOStatus NoSpace() {
    return rocksdb::IOStatus::NoSpace("disk full (injected)");
  }

  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file,
         const std::atomic<bool>* full)
        : FSWritableFileOwnerWrapper(std::move(file)), full_(full) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (*full_) return NoSpace();
      return FSWritableFileOwnerWrapper::Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (*full_) return NoSpace();
      return FSWritableFileOwnerWrapper::Append(data, options, info, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
      if (*full_) return NoSpace();
      return FSWritableFileOwnerWrapper::Sync(options, dbg);
    }

   private:
    const std::atomic<bool>* full_;
  };

  class FileSystem final : public rocksdb::FileSystemWrapper {
   public:
    FileSystem(std::string suffix, const std::atomic<bool>* full)
        : FileSystemWrapper(rocksdb::FileSystem::Default()),
          suffix_(std::move(suffix)),
          full_(full) {}
    const char* Name() const override { return "DiskFaults"; }

    rocksdb::IOStatus NewWritableFile(
        const std::string& name, const rocksdb::FileOptions& options,
        std::unique_ptr<rocksdb::FSWritableFile>* result,
        rocksdb::IODebugContext* dbg) override {
      std::unique_ptr<rocksdb::FSWritableFile> file;
      const bool faulty = name.size() >= suffix_.size() &&
                          name.compare(name.size() - suffix_.size(),
                                       suffix_.size(), suffix_) == 0;
      if (!faulty) return target()->NewWritableFile(name, options, result, dbg);
      if (*full_) return NoSpace();
      rocksdb::IOStatus status =
          target()->NewWritableFile(name, options, &file, dbg);
      if (status.ok()) *result = std::make_unique<File>(std::move(file), full_);
      return status;
    }

   private:
    const std::string suffix_;
    const std::atomic<bool>* full_;
  };

  std::atomic<bool> full_{false};
  std::shared_ptr<rocksdb::FileSystem> file_system_;
  std::unique_ptr<rocksdb::Env> env_;
};

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTING_DISK_FAULTS_H_
