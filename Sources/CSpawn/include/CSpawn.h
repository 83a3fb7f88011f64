#ifndef WRIT_CSPAWN_H
#define WRIT_CSPAWN_H

#include <spawn.h>

/// Adds to `actions` the closing of every descriptor from `lowest` up, done by the
/// kernel in the child (glibc's posix_spawn_file_actions_addclosefrom_np, 2.34+).
/// Returns 0 or an errno value; ENOSYS where the C library lacks it.
int writ_spawn_add_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// Adds to `actions` a change of the child's working directory to `path`
/// (glibc's posix_spawn_file_actions_addchdir_np, 2.29+). Returns 0 or an errno value.
int writ_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
