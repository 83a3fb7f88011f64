import WritCore

/// A fresh, empty store for one test (`MemoryStore`, an actor in WritCore).
func makeStore() -> MemoryStore { MemoryStore() }
