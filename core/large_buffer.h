// Storage for the large per-analysis buffers of the quantizers (packed blocks, per-block scales): every
// analysis prepares fresh quantizers, so these megabytes are new memory each time, and touching them
// page by page (4 KiB each) cost as much as quantizing. Buffers of 1 MiB or more are allocated on 2 MiB
// boundaries in whole 2 MiB units and, on Linux, marked for transparent huge pages (madvise), so the
// kernel maps them in a few faults instead of hundreds. Smaller ones use the ordinary allocator.
// Elements are default-initialised (no zero fill) unless constructed with a value.
//
// Freed large buffers are kept for the next allocation of the same rounded size (a slider move
// prepares the same format on the same tensor again): a fresh mapping costs the kernel a page fault
// and a zero fill of every page, which measured on the q8_0 analysis of 4096x4096 (18 MiB of blocks)
// took more than twice as long as quantizing them. At most kPoolBytes are kept, buffers above
// kPoolLargest are never kept, and the oldest kept buffer goes first.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ql {

namespace detail {

class LargePool {
public:
    static constexpr std::size_t kPoolBytes = std::size_t(256) << 20;
    static constexpr std::size_t kPoolLargest = std::size_t(128) << 20;

    static LargePool& instance() {
        // Never destroyed: static objects that hold large buffers (the analysis memos) may free them
        // during exit, after any static pool would be gone. What it keeps then goes with the process.
        static LargePool* const pool = new LargePool;
        return *pool;
    }
    // A kept buffer of exactly `bytes`, or nullptr.
    void* take(std::size_t bytes) {
        std::lock_guard<std::mutex> lock(m_);
        for (auto it = kept_.begin(); it != kept_.end(); ++it)
            if (it->second == bytes) {
                void* p = it->first;
                held_ -= bytes;
                kept_.erase(it);
                return p;
            }
        return nullptr;
    }
    std::size_t held_bytes() {
        std::lock_guard<std::mutex> lock(m_);
        return held_;
    }
    // Keeps p (of `bytes`) for reuse, or frees it.
    void give(void* p, std::size_t bytes) {
        if (bytes > kPoolLargest) {
            std::free(p);
            return;
        }
        std::lock_guard<std::mutex> lock(m_);
        while (held_ + bytes > kPoolBytes && !kept_.empty()) {
            std::free(kept_.front().first);
            held_ -= kept_.front().second;
            kept_.pop_front();
        }
        kept_.emplace_back(p, bytes);
        held_ += bytes;
    }

private:
    LargePool() = default;
    std::mutex m_;
    std::deque<std::pair<void*, std::size_t>> kept_;
    std::size_t held_ = 0;
};

} // namespace detail

template <class T>
struct LargeAllocator {
    using value_type = T;
    static constexpr std::size_t kHuge = std::size_t(2) << 20;   // the x86-64 huge page
    static constexpr std::size_t kThreshold = std::size_t(1) << 20;

    LargeAllocator() noexcept = default;
    template <class U>
    LargeAllocator(const LargeAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kThreshold) return std::allocator<T>().allocate(n);
        const std::size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
        if (void* kept = detail::LargePool::instance().take(rounded)) return static_cast<T*>(kept);
        void* p = std::aligned_alloc(kHuge, rounded);
        if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        (void)madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without huge pages it still works
#endif
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kThreshold) std::allocator<T>().deallocate(p, n);
        else detail::LargePool::instance().give(p, (bytes + kHuge - 1) / kHuge * kHuge);
    }
    // value-initialise only when asked: resize(n) leaves trivially constructible elements as they are
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
    template <class U>
    bool operator==(const LargeAllocator<U>&) const noexcept { return true; }
};

template <class T>
using LargeVector = std::vector<T, LargeAllocator<T>>;

} // namespace ql
