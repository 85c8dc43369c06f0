#if canImport(Glibc)
import CMalloc
#endif

/// glibc's allocator tuned for a small, steady footprint in a container.
///
/// By default glibc gives each thread that serves requests an arena of its own (up to 8 per core), and
/// raises its mmap threshold after every large free, so a burst of concurrent history requests (100 KB
/// and more each) leaves tens of megabytes resident for good. Here: two arenas; blocks under 1 MiB from
/// the arenas, where they are reused rather than mapped and unmapped per request; and free memory at the
/// top of an arena returned once it passes 128 KiB. It is the tuning often set as `MALLOC_ARENA_MAX=2`,
/// kept with the binary whatever the deployment sets (measured in the README's performance section).
enum MemoryTuning {
    static func apply() {
        #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, 2)
        _ = mallopt(M_MMAP_THRESHOLD, 1024 * 1024)
        _ = mallopt(M_TRIM_THRESHOLD, 128 * 1024)
        #endif
    }
}
