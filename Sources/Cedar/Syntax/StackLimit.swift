#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the current thread's stack ends, so that recursive code can stop with an
/// error instead of overflowing when it runs on a thread with a small stack (512 KiB
/// secondary threads on Apple platforms, for example).
///
/// It is a safety net under fixed depth limits: on an ordinary 8 MiB stack those limits
/// are reached first, so results do not depend on the thread.
struct StackLimit {
    /// The lowest address the recursion may reach: the stack's end plus the reserve.
    private let floor: UInt

    /// The limit for the current thread, keeping `reserve` bytes free for the frames
    /// below the last check; nil when the platform does not say where the stack ends.
    init?(reserving reserve: UInt = 128 * 1024) {
        guard let end = Self.currentStackEnd() else { return nil }
        let (floor, overflow) = end.addingReportingOverflow(reserve)
        guard !overflow else { return nil }
        self.floor = floor
    }

    /// Whether the calling frame is still above the reserve.
    var hasRoom: Bool {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } > floor
    }

    /// The lowest address of the current thread's stack (stacks grow down on every
    /// platform Swift supports), remembered per thread: asking the system can be slow
    /// (on Linux's main thread it reads `/proc/self/maps`).
    private static func currentStackEnd() -> UInt? {
        guard let key = cacheKey else { return lookUpStackEnd() }
        if let cached = pthread_getspecific(key) { return UInt(bitPattern: cached) }
        guard let end = lookUpStackEnd(), let value = UnsafeRawPointer(bitPattern: end) else { return nil }
        pthread_setspecific(key, value)
        return end
    }

    /// A thread-specific slot holding the thread's stack end; the system forgets the
    /// value when the thread exits, so a later thread never sees a stale one.
    private static let cacheKey: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, nil) == 0 ? key : nil
    }()

    private static func lookUpStackEnd() -> UInt? {
        #if canImport(Glibc) || canImport(Musl)
            guard let getAttributes = threadAttributesFunction else { return nil }
            var attributes = pthread_attr_t()
            guard getAttributes(pthread_self(), &attributes) == 0 else { return nil }
            defer { pthread_attr_destroy(&attributes) }
            var address: UnsafeMutableRawPointer?
            var size = 0
            guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else { return nil }
            return UInt(bitPattern: address)
        #elseif canImport(Darwin)
            let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
            let size = UInt(pthread_get_stacksize_np(pthread_self()))
            return top > size ? top - size : nil
        #else
            return nil
        #endif
    }

    #if canImport(Glibc) || canImport(Musl)
        private typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> CInt

        /// `pthread_getattr_np`, which the C library has but the Swift module does not
        /// import (it is a GNU extension), looked up once.
        private static let threadAttributesFunction: GetAttributes? = {
            guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "pthread_getattr_np") else {
                return nil
            }
            return unsafeBitCast(symbol, to: GetAttributes.self)
        }()
    #endif
}
