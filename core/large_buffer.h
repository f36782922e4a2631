// Storage for the large per-analysis buffers of the quantizers (packed blocks, per-block scales): every
// analysis prepares fresh quantizers, so these megabytes are new memory each time, and touching them
// page by page (4 KiB each) cost as much as quantizing. Buffers of 1 MiB or more are allocated on 2 MiB
// boundaries in whole 2 MiB units and, on Linux, marked for transparent huge pages (madvise), so the
// kernel maps them in a few faults instead of hundreds. Smaller ones use the ordinary allocator.
// Elements are default-initialised (no zero fill) unless constructed with a value.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ql {

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
        void* p = std::aligned_alloc(kHuge, rounded);
        if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        (void)madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without huge pages it still works
#endif
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (n * sizeof(T) < kThreshold) std::allocator<T>().deallocate(p, n);
        else std::free(p);
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
